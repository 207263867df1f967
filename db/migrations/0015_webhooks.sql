CREATE TABLE "webhook_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"delivery_id" uuid NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"status" integer,
	"duration_ms" integer NOT NULL,
	"response_start" text,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sequence" bigserial NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"owner_id" text NOT NULL,
	"job_id" uuid,
	"chain" uuid NOT NULL,
	"event" text NOT NULL,
	"payload" jsonb NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" text NOT NULL,
	"url" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"events" text[] NOT NULL,
	"job_types" text[],
	"enabled" boolean DEFAULT true NOT NULL,
	"secret" text NOT NULL,
	"failing_since" timestamp (3) with time zone,
	"disabled_reason" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "mailbox_messages" ALTER COLUMN "job_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "notify_when_done" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_webhook_endpoints_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_attempts_delivery_idx" ON "webhook_attempts" USING btree ("delivery_id","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_chain_idx" ON "webhook_deliveries" USING btree ("endpoint_id","chain","sequence") WHERE state = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_idx" ON "webhook_deliveries" USING btree ("endpoint_id","sequence" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_job_idx" ON "webhook_deliveries" USING btree ("job_id","sequence" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_created_idx" ON "webhook_deliveries" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_endpoints_owner_idx" ON "webhook_endpoints" USING btree ("owner_id","created_at" DESC NULLS LAST);--> statement-breakpoint
-- Queues the delivery of an endpoint's chain of messages (a job's events, in
-- order) as one graphile-worker job: the chain's name is both its job key and
-- its queue, so the chain is worked on by one worker at a time, and an event
-- arriving while a retry waits keeps the retry's time (preserve_run_at).
-- plpgsql: graphile-worker's schema is installed after our migrations run.
CREATE FUNCTION "queue_webhook_chain"(endpoint uuid, chain uuid, not_before timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  chain_name text := 'webhook:' || endpoint || ':' || chain;
BEGIN
  PERFORM graphile_worker.add_job('accepted:deliver-webhooks',
    json_build_object('endpointId', endpoint, 'chain', chain),
    queue_name => chain_name, run_at => not_before, max_attempts => 25,
    job_key => chain_name, job_key_mode => 'preserve_run_at');
END $$;
--> statement-breakpoint
-- A job that finishes (or, for endpoints that want it, makes progress) has
-- its webhook deliveries written, and its "email me when done" queued, in the
-- transaction that changed it, whichever statement did: the worker, a
-- cancel, dead-worker recovery. The payload is the row as it is now, so a
-- retry a day later still says what happened then.
CREATE FUNCTION "jobs_queue_notifications"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  happened text;
  endpoint uuid;
BEGIN
  IF NEW."state" IS DISTINCT FROM OLD."state" THEN
    IF NEW."state" NOT IN ('succeeded', 'failed', 'cancelled') THEN RETURN NULL; END IF;
    happened := 'job.' || NEW."state";
    IF NEW."notify_when_done" THEN
      PERFORM graphile_worker.add_job('accepted:email-when-done',
        json_build_object('jobId', NEW."id", 'version', NEW."version"), max_attempts => 10);
    END IF;
  ELSIF NEW."state" = 'running' THEN
    happened := 'job.progress';
  ELSE
    RETURN NULL;
  END IF;
  IF NEW."owner_id" IS NULL THEN RETURN NULL; END IF;
  FOR endpoint IN
    INSERT INTO "webhook_deliveries" ("endpoint_id", "owner_id", "job_id", "chain", "event", "payload")
    SELECT wanting."id", wanting."owner_id", NEW."id", NEW."id", happened, to_jsonb(NEW)
    FROM "webhook_endpoints" wanting
    WHERE wanting."owner_id" = NEW."owner_id" AND wanting."enabled" AND happened = ANY (wanting."events")
      AND (wanting."job_types" IS NULL OR NEW."type" = ANY (wanting."job_types"))
    RETURNING "endpoint_id"
  LOOP
    PERFORM queue_webhook_chain(endpoint, NEW."id", now());
  END LOOP;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "jobs_queue_notifications" AFTER UPDATE OF "state", "progress" ON "jobs"
  FOR EACH ROW WHEN (OLD."state" IS DISTINCT FROM NEW."state" OR OLD."progress" IS DISTINCT FROM NEW."progress")
  EXECUTE FUNCTION "jobs_queue_notifications"();
