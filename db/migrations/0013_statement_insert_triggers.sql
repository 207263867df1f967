-- What every insert into jobs does (its timeline entry, its owner's count of
-- unfinished jobs, its NOTIFY) as one statement-level trigger reading the
-- inserted rows: a batch of a thousand jobs costs three statements here, not
-- three thousand trigger calls and a thousand updates of its owner's row.
CREATE FUNCTION "jobs_after_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "job_events" ("job_id", "state", "attempt", "detail")
    SELECT "id", "state", "attempts",
           CASE WHEN "state" = 'cancelled' THEN 'cancelled by ' || coalesce("cancelled_by", 'unknown')
                WHEN "state" = 'failed' THEN "error"->>'detail' END
    FROM inserted;
  INSERT INTO "job_owner_quotas" AS q ("owner_id", "unfinished")
    SELECT "owner_id", count(*) FROM inserted
    WHERE "owner_id" IS NOT NULL AND "state" IN ('queued', 'running') GROUP BY "owner_id"
    ON CONFLICT ("owner_id") DO UPDATE SET "unfinished" = q."unfinished" + excluded."unfinished";
  PERFORM pg_notify('job_changes', json_build_object(
    'id', "id", 'ownerId', "owner_id", 'version', "version", 'state', "state")::text)
    FROM inserted;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "jobs_after_insert" AFTER INSERT ON "jobs"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION "jobs_after_insert"();
--> statement-breakpoint
DROP TRIGGER "jobs_record_submit" ON "jobs";
--> statement-breakpoint
DROP TRIGGER "jobs_notify_change" ON "jobs";
--> statement-breakpoint
CREATE TRIGGER "jobs_notify_change" AFTER UPDATE ON "jobs"
  FOR EACH ROW EXECUTE FUNCTION "jobs_notify_change"();
--> statement-breakpoint
DROP TRIGGER "jobs_count_unfinished" ON "jobs";
--> statement-breakpoint
CREATE TRIGGER "jobs_count_unfinished" AFTER DELETE OR UPDATE OF "state" ON "jobs"
  FOR EACH ROW EXECUTE FUNCTION "jobs_count_unfinished"();
