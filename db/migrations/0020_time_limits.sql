ALTER TABLE "job_type_controls" ADD COLUMN "timeout_ms" integer;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "start_by" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "worker_heartbeats" ADD COLUMN "stuck_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "jobs_start_by_idx" ON "jobs" USING btree ("start_by") WHERE state = 'queued' and start_by is not null;--> statement-breakpoint
ALTER TABLE "job_type_controls" ADD CONSTRAINT "job_type_controls_timeout_ms" CHECK ("job_type_controls"."timeout_ms" >= 1000);