CREATE TABLE "sql_definitions" (
	"file" text PRIMARY KEY NOT NULL,
	"sha256" text NOT NULL,
	"applied_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Descending indexes as ORDER BY … DESC reads them (NULLS FIRST, PostgreSQL's default): built NULLS LAST,
-- none could give a newest-first list its order, and every list sorted all its matches. The filtered job
-- lists get id too, so their page comes straight off the index.
DROP INDEX "audit_log_at_idx";--> statement-breakpoint
DROP INDEX "batches_owner_created_at_idx";--> statement-breakpoint
DROP INDEX "jobs_created_at_id_idx";--> statement-breakpoint
DROP INDEX "jobs_state_created_at_idx";--> statement-breakpoint
DROP INDEX "jobs_type_created_at_idx";--> statement-breakpoint
DROP INDEX "jobs_owner_created_at_idx";--> statement-breakpoint
DROP INDEX "jobs_finished_at_idx";--> statement-breakpoint
DROP INDEX "jobs_updated_at_id_idx";--> statement-breakpoint
DROP INDEX "jobs_owner_updated_at_idx";--> statement-breakpoint
DROP INDEX "jobs_expires_at_idx";--> statement-breakpoint
DROP INDEX "mailbox_messages_owner_created_at_idx";--> statement-breakpoint
DROP INDEX "uploads_owner_created_at_idx";--> statement-breakpoint
DROP INDEX "webhook_deliveries_endpoint_idx";--> statement-breakpoint
DROP INDEX "webhook_deliveries_job_idx";--> statement-breakpoint
DROP INDEX "webhook_deliveries_created_idx";--> statement-breakpoint
DROP INDEX "webhook_endpoints_owner_idx";--> statement-breakpoint
CREATE INDEX "jobs_waiting_priority_idx" ON "jobs" USING btree ("priority") WHERE state = 'queued' and not paused;--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "batches_owner_created_at_idx" ON "batches" USING btree ("owner_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "jobs_created_at_id_idx" ON "jobs" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "jobs_state_created_at_idx" ON "jobs" USING btree ("state","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "jobs_type_created_at_idx" ON "jobs" USING btree ("type","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "jobs_owner_created_at_idx" ON "jobs" USING btree ("owner_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "jobs_finished_at_idx" ON "jobs" USING btree ("finished_at") WHERE finished_at is not null;--> statement-breakpoint
CREATE INDEX "jobs_updated_at_id_idx" ON "jobs" USING btree ("updated_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "jobs_owner_updated_at_idx" ON "jobs" USING btree ("owner_id","updated_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "jobs_expires_at_idx" ON "jobs" USING btree ("expires_at") WHERE expired_at is null and expires_at is not null;--> statement-breakpoint
ALTER INDEX "jobs_search_idx" SET (gin_pending_list_limit = 256);--> statement-breakpoint
CREATE INDEX "mailbox_messages_owner_created_at_idx" ON "mailbox_messages" USING btree ("owner_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "uploads_owner_created_at_idx" ON "uploads" USING btree ("owner_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_idx" ON "webhook_deliveries" USING btree ("endpoint_id","sequence" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_job_idx" ON "webhook_deliveries" USING btree ("job_id","sequence" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_created_idx" ON "webhook_deliveries" USING btree ("created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "webhook_endpoints_owner_idx" ON "webhook_endpoints" USING btree ("owner_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
-- The timeline keeps only what a job's row does not tell (db/functions/jobs.sql):
-- the entries read from created_at, started_at and finished_at go.
DELETE FROM "job_events" WHERE "detail" IS NULL
  AND (("state" = 'queued' AND "attempt" = 0) OR ("state" = 'running' AND "attempt" = 1) OR "state" = 'succeeded');
--> statement-breakpoint
-- A webhook delivery's payload becomes the job's status representation as it was
-- (db/functions/jobs.sql, job_status_snapshot), not its row's columns: the ones
-- already written are rewritten from the columns they kept.
UPDATE "webhook_deliveries" SET "payload" = jsonb_build_object(
    'id', p->'id', 'type', p->'type', 'state', p->'state',
    'paused', p->>'state' = 'queued' AND coalesce((p->>'paused')::boolean, false),
    'version', p->'version', 'progress', p->'progress', 'message', p->'message',
    'attempts', p->'attempts', 'maxAttempts', p->'max_attempts', 'attemptErrors', p->'attempt_errors',
    'input', p->'input', 'batchId', p->'batch_id', 'notifyWhenDone', coalesce(p->'notify_when_done', 'false'),
    'createdAt', to_char((p->>'created_at')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'startedAt', to_char((p->>'started_at')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'updatedAt', to_char((p->>'updated_at')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'finishedAt', to_char((p->>'finished_at')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'estimatedCompletionAt', to_char((p->>'estimated_completion_at')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'retryAt', to_char((p->>'retry_at')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'result', CASE WHEN p->'result'->>'kind' = 'file' THEN p->'result'
                   WHEN jsonb_typeof(p->'result') = 'object' THEN jsonb_build_object('kind', p->'result'->'kind') END,
    'error', CASE WHEN jsonb_typeof(p->'error') = 'object' THEN p->'error' || jsonb_build_object('instance', '/api/jobs/' || (p->>'id')) END,
    'cancelledAt', to_char((p->>'cancelled_at')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'cancelledBy', p->'cancelled_by',
    'expiresAt', to_char((p->>'expires_at')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'expiredAt', to_char((p->>'expired_at')::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
FROM (SELECT "id" AS delivery, "payload" AS p FROM "webhook_deliveries" WHERE "job_id" IS NOT NULL AND "payload" ? 'created_at') AS old
WHERE "webhook_deliveries"."id" = old.delivery;
