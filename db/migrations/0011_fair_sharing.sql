CREATE TABLE "job_owner_quotas" (
	"owner_id" text PRIMARY KEY NOT NULL,
	"unfinished" integer DEFAULT 0 NOT NULL,
	"max_unfinished" integer,
	CONSTRAINT "job_owner_quotas_unfinished" CHECK ("job_owner_quotas"."unfinished" >= 0),
	CONSTRAINT "job_owner_quotas_max_unfinished" CHECK ("job_owner_quotas"."max_unfinished" >= 0)
);
--> statement-breakpoint
CREATE TABLE "job_type_controls" (
	"type" text PRIMARY KEY NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"concurrency_limit" integer,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_type_controls_concurrency_limit" CHECK ("job_type_controls"."concurrency_limit" >= 1)
);
--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "priority" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "paused" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "jobs_running_type_priority_idx" ON "jobs" USING btree ("type","priority") WHERE state = 'running';--> statement-breakpoint
-- Each owner's unfinished jobs, kept by this trigger whichever statement
-- makes the change (submit, start, finish, cancel, retry, recovery, purge),
-- in the same transaction: the submit's cap check reads it under a row lock.
CREATE FUNCTION "jobs_count_unfinished"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  was integer := 0;
  now_is integer := 0;
  owner text;
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.state IN ('queued', 'running') THEN was := 1; END IF;
  IF TG_OP <> 'DELETE' AND NEW.state IN ('queued', 'running') THEN now_is := 1; END IF;
  owner := CASE WHEN TG_OP = 'DELETE' THEN OLD.owner_id ELSE NEW.owner_id END;
  IF was <> now_is AND owner IS NOT NULL THEN
    INSERT INTO "job_owner_quotas" AS q ("owner_id", "unfinished") VALUES (owner, greatest(now_is - was, 0))
    ON CONFLICT ("owner_id") DO UPDATE SET "unfinished" = greatest(q."unfinished" + now_is - was, 0);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "jobs_count_unfinished" AFTER INSERT OR DELETE OR UPDATE OF "state" ON "jobs"
  FOR EACH ROW EXECUTE FUNCTION "jobs_count_unfinished"();
--> statement-breakpoint
INSERT INTO "job_owner_quotas" ("owner_id", "unfinished")
  SELECT "owner_id", count(*) FROM "jobs"
  WHERE "owner_id" IS NOT NULL AND "state" IN ('queued', 'running') GROUP BY "owner_id";
