ALTER TABLE "jobs" ADD COLUMN "retention_seconds" integer DEFAULT 604800 NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "expires_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "expired_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "jobs_expires_at_idx" ON "jobs" USING btree ("expires_at") WHERE expired_at is null;--> statement-breakpoint
-- A job's expiry follows from when it finished, whichever statement finished
-- it (complete, final failure, cancel, the dead-worker sweeper); a retry
-- (finished_at back to null) clears it again.
CREATE FUNCTION "jobs_set_expiry"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."finished_at" IS NULL THEN
    NEW."expires_at" := NULL;
  ELSIF TG_OP = 'INSERT' OR OLD."finished_at" IS DISTINCT FROM NEW."finished_at" THEN
    NEW."expires_at" := NEW."finished_at" + make_interval(secs => NEW."retention_seconds");
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER "jobs_set_expiry" BEFORE INSERT OR UPDATE OF "finished_at" ON "jobs"
  FOR EACH ROW EXECUTE FUNCTION "jobs_set_expiry"();
--> statement-breakpoint
UPDATE "jobs" SET "expires_at" = "finished_at" + interval '7 days' WHERE "finished_at" IS NOT NULL;
