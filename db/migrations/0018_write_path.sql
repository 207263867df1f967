CREATE TABLE "sql_definitions" (
	"file" text PRIMARY KEY NOT NULL,
	"sha256" text NOT NULL,
	"applied_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "jobs_state_created_at_idx";--> statement-breakpoint
DROP INDEX "jobs_type_created_at_idx";--> statement-breakpoint
DROP INDEX "jobs_owner_created_at_idx";--> statement-breakpoint
DROP INDEX "jobs_finished_at_idx";--> statement-breakpoint
DROP INDEX "jobs_expires_at_idx";--> statement-breakpoint
CREATE INDEX "jobs_waiting_priority_idx" ON "jobs" USING btree ("priority") WHERE state = 'queued' and not paused;--> statement-breakpoint
CREATE INDEX "jobs_state_created_at_idx" ON "jobs" USING btree ("state","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "jobs_type_created_at_idx" ON "jobs" USING btree ("type","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "jobs_owner_created_at_idx" ON "jobs" USING btree ("owner_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "jobs_finished_at_idx" ON "jobs" USING btree ("finished_at") WHERE finished_at is not null;--> statement-breakpoint
CREATE INDEX "jobs_expires_at_idx" ON "jobs" USING btree ("expires_at") WHERE expired_at is null and expires_at is not null;--> statement-breakpoint
ALTER INDEX "jobs_search_idx" SET (gin_pending_list_limit = 256);--> statement-breakpoint
-- The timeline keeps only what a job's row does not tell (db/functions/jobs.sql):
-- the entries read from created_at, started_at and finished_at go.
DELETE FROM "job_events" WHERE "detail" IS NULL
  AND (("state" = 'queued' AND "attempt" = 0) OR ("state" = 'running' AND "attempt" = 1) OR "state" = 'succeeded');
