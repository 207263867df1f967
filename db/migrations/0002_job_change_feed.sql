-- The change feed. Every insert or update of a job bumps its version and
-- sends NOTIFY job_changes in the same transaction, so listeners hear of a
-- change exactly when it commits, whichever process or statement made it.
-- The payload is small (id, owner, version, state): enough to route and to
-- notice a cancel; listeners read the representation from the row itself.
CREATE FUNCTION "jobs_bump_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."version" := OLD."version" + 1;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "jobs_bump_version" BEFORE UPDATE ON "jobs"
  FOR EACH ROW EXECUTE FUNCTION "jobs_bump_version"();
--> statement-breakpoint
CREATE FUNCTION "jobs_notify_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('job_changes', json_build_object(
    'id', NEW."id", 'ownerId', NEW."owner_id", 'version', NEW."version", 'state', NEW."state")::text);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "jobs_notify_change" AFTER INSERT OR UPDATE ON "jobs"
  FOR EACH ROW EXECUTE FUNCTION "jobs_notify_change"();
