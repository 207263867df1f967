-- The admin console's timeline: one job_events row per state change, written
-- in the same transaction as the change by whichever statement made it (the
-- submit, the worker, a cancel, the dead-worker sweeper), so no code path can
-- forget to record one.
CREATE FUNCTION "jobs_record_event"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  explanation text;
BEGIN
  IF NEW."state" = 'cancelled' THEN
    explanation := 'cancelled by ' || coalesce(NEW."cancelled_by", 'unknown');
  ELSIF NEW."state" = 'failed' THEN
    explanation := NEW."error"->>'detail';
  ELSIF TG_OP = 'UPDATE' AND NEW."state" = 'queued' AND OLD."state" = 'running' THEN
    explanation := 'attempt ' || OLD."attempts" || ' failed: ' || coalesce(NEW."attempt_errors"->-1->>'message', 'unknown error');
  ELSIF TG_OP = 'UPDATE' AND NEW."state" = 'queued' THEN
    explanation := 'retried after ' || OLD."state";
  END IF;
  INSERT INTO "job_events" ("job_id", "state", "attempt", "detail")
    VALUES (NEW."id", NEW."state", NEW."attempts", explanation);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "jobs_record_submit" AFTER INSERT ON "jobs"
  FOR EACH ROW EXECUTE FUNCTION "jobs_record_event"();
--> statement-breakpoint
CREATE TRIGGER "jobs_record_state_change" AFTER UPDATE OF "state" ON "jobs"
  FOR EACH ROW WHEN (OLD."state" IS DISTINCT FROM NEW."state") EXECUTE FUNCTION "jobs_record_event"();
