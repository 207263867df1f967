ALTER TYPE "public"."job_state" ADD VALUE 'scheduled' BEFORE 'queued';--> statement-breakpoint
CREATE TABLE "schedules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" text NOT NULL,
	"type" text NOT NULL,
	"input" jsonb NOT NULL,
	"cron" text NOT NULL,
	"timezone" text NOT NULL,
	"concurrency_key" text,
	"paused" boolean DEFAULT false NOT NULL,
	"next_run_at" timestamp (3) with time zone,
	"last_fired_at" timestamp (3) with time zone,
	"last_job_id" uuid,
	"last_outcome" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "jobs_start_by_idx";--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "run_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "concurrency_key" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "schedule_id" uuid;--> statement-breakpoint
CREATE INDEX "schedules_owner_created_at_idx" ON "schedules" USING btree ("owner_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_owner_concurrency_key_idx" ON "jobs" USING btree ("owner_id","concurrency_key") WHERE concurrency_key is not null and finished_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_schedule_run_at_idx" ON "jobs" USING btree ("schedule_id","run_at" DESC NULLS LAST) WHERE schedule_id is not null;--> statement-breakpoint
CREATE INDEX "jobs_start_by_idx" ON "jobs" USING btree ("start_by") WHERE start_by is not null and attempts = 0 and finished_at is null;