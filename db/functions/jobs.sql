-- What runs when a job row is written: the current definition of every
-- function and trigger on "jobs" (the README's "When a job row changes" maps
-- them). Applied after the migrations, whole and in one transaction, when
-- this text changes (db/functions.ts).
--
-- Row-level work is what must see each row: the version and the expiry.
-- Everything else runs once per statement over its transition tables, so a
-- worker's batch of a hundred completions costs one NOTIFY (per 40 jobs), one
-- upsert per owner and one insert of the timeline entries it needs, not a
-- hundred of each.

-- Retired: the row-level triggers of earlier migrations (0002, 0005, 0006, 0011, 0013, 0015).
DROP TRIGGER IF EXISTS "jobs_bump_version" ON "jobs";
DROP TRIGGER IF EXISTS "jobs_notify_change" ON "jobs";
DROP TRIGGER IF EXISTS "jobs_record_submit" ON "jobs";
DROP TRIGGER IF EXISTS "jobs_record_state_change" ON "jobs";
DROP TRIGGER IF EXISTS "jobs_set_expiry" ON "jobs";
DROP TRIGGER IF EXISTS "jobs_count_unfinished" ON "jobs";
DROP TRIGGER IF EXISTS "jobs_queue_notifications" ON "jobs";
DROP FUNCTION IF EXISTS "jobs_bump_version"();
DROP FUNCTION IF EXISTS "jobs_notify_change"();
DROP FUNCTION IF EXISTS "jobs_record_event"();
DROP FUNCTION IF EXISTS "jobs_set_expiry"();
DROP FUNCTION IF EXISTS "jobs_count_unfinished"();
DROP FUNCTION IF EXISTS "jobs_queue_notifications"();

-- Every update raises the version (the change feed's order, the SSE event
-- id, the ETag); a job's expiry follows from when it finished, whichever
-- statement finished it, and a retry (finished_at back to null) clears it.
CREATE OR REPLACE FUNCTION "jobs_before_write"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    NEW."version" := OLD."version" + 1;
    IF NEW."finished_at" IS NOT DISTINCT FROM OLD."finished_at" THEN RETURN NEW; END IF;
  END IF;
  NEW."expires_at" := NEW."finished_at" + make_interval(secs => NEW."retention_seconds");
  RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER "jobs_before_update" BEFORE UPDATE ON "jobs"
  FOR EACH ROW EXECUTE FUNCTION "jobs_before_write"();

-- A job is inserted unfinished, but an insert that finishes it gets its expiry too.
CREATE OR REPLACE TRIGGER "jobs_before_insert" BEFORE INSERT ON "jobs"
  FOR EACH ROW WHEN (NEW."finished_at" IS NOT NULL) EXECUTE FUNCTION "jobs_before_write"();

-- The change feed: NOTIFY job_changes with a JSON array of {id, ownerId,
-- version, state}, 40 to a message (a payload must stay under 8,000 bytes).
-- Listeners read the representation from the row itself; this only routes.
-- One message per statement matters beyond the sender: every listening
-- connection reads each message in a transaction of its own.
CREATE OR REPLACE FUNCTION "notify_job_changes"(changes jsonb[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('job_changes', jsonb_agg(change ORDER BY n)::text)
  FROM unnest(changes) WITH ORDINALITY AS c(change, n)
  GROUP BY (n - 1) / 40;
END $$;

-- Moves each owner's count of unfinished (scheduled, queued or running) jobs by the
-- given amounts, owners in order (two statements lock them in the same
-- order, so they cannot deadlock). The submit's cap check reads it.
CREATE OR REPLACE FUNCTION "count_unfinished_jobs"(owners text[], deltas integer[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "job_owner_quotas" AS q ("owner_id", "unfinished")
  SELECT owner, greatest(delta, 0) FROM unnest(owners, deltas) AS moved(owner, delta)
  WHERE owner IS NOT NULL AND delta <> 0
  ORDER BY owner
  ON CONFLICT ("owner_id") DO UPDATE SET "unfinished" = greatest(q."unfinished" + (
    SELECT delta FROM unnest(owners, deltas) AS again(owner, delta) WHERE again.owner = excluded."owner_id"), 0);
$$;

-- A time as JavaScript's toISOString writes it (UTC, milliseconds), or null.
CREATE OR REPLACE FUNCTION "iso_time"(at timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- A job as the API's status representation shows it (toJobStatus in
-- lib/jobs/representation.ts), less what follows from it and is added as it
-- is sent (its type's title, its links): a webhook delivery's payload, kept
-- as it was when the event happened. So the stored contract is the API's,
-- not these columns' names; test/unit/webhooks.test.ts holds the two to the
-- same output for jobs in every state.
CREATE OR REPLACE FUNCTION "job_status_snapshot"(job "jobs") RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', job."id", 'type', job."type", 'state', job."state",
    'paused', job."state" IN ('scheduled', 'queued') AND job."paused",
    'version', job."version", 'progress', job."progress", 'message', job."message",
    'attempts', job."attempts", 'maxAttempts', job."max_attempts", 'attemptErrors', job."attempt_errors",
    'input', job."input", 'batchId', job."batch_id", 'notifyWhenDone', job."notify_when_done",
    'startBy', "iso_time"(job."start_by"),
    'runAt', "iso_time"(job."run_at"), 'concurrencyKey', job."concurrency_key", 'scheduleId', job."schedule_id",
    'traceId', substring(job."trace_parent" from '^[0-9a-f]{2}-([0-9a-f]{32})-'),
    'createdAt', "iso_time"(job."created_at"), 'startedAt', "iso_time"(job."started_at"),
    'updatedAt', "iso_time"(job."updated_at"), 'finishedAt', "iso_time"(job."finished_at"),
    'estimatedCompletionAt', "iso_time"(job."estimated_completion_at"), 'retryAt', "iso_time"(job."retry_at"),
    'result', CASE WHEN job."result"->>'kind' = 'file' THEN job."result"
                   WHEN job."result" IS NOT NULL THEN jsonb_build_object('kind', job."result"->'kind') END,
    'error', job."error" || jsonb_build_object('instance', '/api/jobs/' || job."id"),
    'cancelledAt', "iso_time"(job."cancelled_at"), 'cancelledBy', job."cancelled_by",
    'expiresAt', "iso_time"(job."expires_at"), 'expiredAt', "iso_time"(job."expired_at"))
$$;

-- Inserted jobs: their owners' counts and the change feed. A job inserted
-- already finished (none is today) would get its timeline entry here too.
CREATE OR REPLACE FUNCTION "jobs_after_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "job_events" ("job_id", "state", "attempt", "detail")
    SELECT "id", "state", "attempts",
           CASE WHEN "state" = 'cancelled' THEN 'cancelled by ' || coalesce("cancelled_by", 'unknown')
                WHEN "state" = 'failed' THEN "error"->>'detail' END
    FROM inserted WHERE "state" NOT IN ('scheduled', 'queued', 'running', 'succeeded');
  PERFORM "count_unfinished_jobs"(array_agg("owner_id"), array_agg("n"))
  FROM (SELECT "owner_id", count(*)::int AS "n" FROM inserted
        WHERE "owner_id" IS NOT NULL AND "state" IN ('scheduled', 'queued', 'running') GROUP BY "owner_id") AS per_owner
  HAVING count(*) > 0;
  PERFORM "notify_job_changes"(array_agg(jsonb_build_object(
    'id', "id", 'ownerId', "owner_id", 'version', "version", 'state', "state")))
  FROM inserted HAVING count(*) > 0;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER "jobs_after_insert" AFTER INSERT ON "jobs"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION "jobs_after_insert"();

-- Updated jobs, whichever statement changed them (the worker, a cancel, a
-- retry, dead-worker recovery, the purge), in the transaction that did:
--  * the timeline entries the row cannot tell: a retry, an interrupted or
--    failed attempt, a later attempt's start (written with the completion
--    when that start was deferred), a failure, a cancel (queued, the first
--    start and success are the row's created_at, started_at and finished_at);
--  * the owners' counts of unfinished jobs;
--  * "email me when done" and webhook deliveries for the endpoints that want
--    the event (a finish, or progress while running), each with the job's
--    status as it is now (job_status_snapshot), so a retry a day later still
--    says what happened then;
--  * the change feed.
CREATE OR REPLACE FUNCTION "jobs_after_update"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  parts bigint;
BEGIN
  -- One statement (planned once per session), so the transition tables are joined once.
  WITH changed AS MATERIALIZED (
    SELECT a AS job, b."state" AS was, b."attempts" AS attempts_before, b."progress" AS progress_before
    FROM after_update a JOIN before_update b ON b."id" = a."id"
  ), timeline AS (
    INSERT INTO "job_events" ("job_id", "state", "attempt", "detail", "at")
    SELECT (job)."id", (job)."state", (job)."attempts",
           CASE WHEN (job)."state" = 'cancelled' THEN 'cancelled by ' || coalesce((job)."cancelled_by", 'unknown')
                WHEN (job)."state" = 'failed' THEN (job)."error"->>'detail'
                WHEN (job)."state" = 'queued' AND was = 'running' THEN 'attempt ' || attempts_before || ' failed: '
                  || coalesce((job)."attempt_errors"->-1->>'message', 'unknown error')
                WHEN (job)."state" = 'queued' THEN 'retried after ' || was END,
           now()
    FROM changed
    WHERE (job)."state" IS DISTINCT FROM was AND (job)."state" <> 'succeeded'
      AND NOT ((job)."state" = 'running' AND (job)."attempts" = 1)
    UNION ALL
    -- A later attempt that went from queued to succeeded (its start deferred) started too.
    SELECT (job)."id", 'running', (job)."attempts", NULL, (job)."attempt_started_at"
    FROM changed WHERE was = 'queued' AND (job)."state" = 'succeeded' AND (job)."attempts" > 1
    RETURNING 1
  ), counted AS (
    SELECT "count_unfinished_jobs"(array_agg(owner), array_agg(delta)) FROM (
      SELECT (job)."owner_id" AS owner,
             sum(((job)."state" IN ('scheduled', 'queued', 'running'))::int
                 - (was IN ('scheduled', 'queued', 'running'))::int)::int AS delta
      FROM changed WHERE (job)."owner_id" IS NOT NULL AND (job)."state" IS DISTINCT FROM was
      GROUP BY 1) AS moved
    WHERE delta <> 0 HAVING count(*) > 0
  ), emailed AS (
    SELECT graphile_worker.add_job('accepted:email-when-done',
      json_build_object('jobId', (job)."id", 'version', (job)."version"), max_attempts => 10)
    FROM changed
    WHERE (job)."notify_when_done" AND (job)."state" IS DISTINCT FROM was
      AND (job)."state" IN ('succeeded', 'failed', 'cancelled')
  ), happened AS (
    SELECT job, CASE WHEN (job)."state" IS DISTINCT FROM was THEN 'job.' || (job)."state" ELSE 'job.progress' END AS event
    FROM changed
    WHERE (job)."owner_id" IS NOT NULL
      AND (((job)."state" IS DISTINCT FROM was AND (job)."state" IN ('succeeded', 'failed', 'cancelled'))
        OR ((job)."state" = 'running' AND was = 'running' AND (job)."progress" IS DISTINCT FROM progress_before))
  ), delivered AS (
    -- An owner with no endpoints costs one probe of webhook_endpoints_owner_idx.
    INSERT INTO "webhook_deliveries" ("endpoint_id", "owner_id", "job_id", "chain", "event", "payload")
    -- A transition table's row is a plain record: typed as a jobs row again to be described.
    SELECT wanting."id", wanting."owner_id", (job)."id", (job)."id", event,
           "job_status_snapshot"(jsonb_populate_record(NULL::"jobs", to_jsonb(job)))
    FROM happened JOIN "webhook_endpoints" wanting ON wanting."owner_id" = (job)."owner_id"
    WHERE wanting."enabled" AND event = ANY (wanting."events")
      AND (wanting."job_types" IS NULL OR (job)."type" = ANY (wanting."job_types"))
    RETURNING "endpoint_id", "job_id"
  ), chained AS (
    SELECT "queue_webhook_chain"("endpoint_id", "job_id", now()) FROM delivered
  ), notified AS (
    SELECT "notify_job_changes"(array_agg(jsonb_build_object(
      'id', (job)."id", 'ownerId', (job)."owner_id", 'version', (job)."version", 'state', (job)."state")))
    FROM changed
  )
  -- Every part runs: the data-modifying ones always, the others because they are counted here.
  SELECT (SELECT count(*) FROM counted) + (SELECT count(*) FROM emailed) + (SELECT count(*) FROM chained)
    + (SELECT count(*) FROM notified) INTO parts;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER "jobs_after_update" AFTER UPDATE ON "jobs"
  REFERENCING OLD TABLE AS before_update NEW TABLE AS after_update
  FOR EACH STATEMENT EXECUTE FUNCTION "jobs_after_update"();

-- Deleted jobs leave their owners' counts (the rows go without a change event).
CREATE OR REPLACE FUNCTION "jobs_after_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "count_unfinished_jobs"(array_agg("owner_id"), array_agg(-"n"))
  FROM (SELECT "owner_id", count(*)::int AS "n" FROM deleted
        WHERE "owner_id" IS NOT NULL AND "state" IN ('scheduled', 'queued', 'running') GROUP BY "owner_id") AS per_owner
  HAVING count(*) > 0;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER "jobs_after_delete" AFTER DELETE ON "jobs"
  REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION "jobs_after_delete"();

-- New lines of jobs' own logs, once per statement (the worker writes many jobs' lines in one): NOTIFY job_logs
-- with [{id, last}, …], each job and the id of its last line, 40 jobs to a message. The streams, sockets and long
-- polls following a job's log (lib/change-feed/log-feed.ts) read its lines after the last they sent.
CREATE OR REPLACE FUNCTION "job_logs_after_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('job_logs', jsonb_agg(jsonb_build_object('id', "job_id", 'last', "last") ORDER BY n)::text)
  FROM (SELECT "job_id", max("id") AS "last", row_number() OVER (ORDER BY "job_id") AS n
        FROM inserted GROUP BY "job_id") AS per_job
  GROUP BY (n - 1) / 40;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER "job_logs_after_insert" AFTER INSERT ON "job_logs"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION "job_logs_after_insert"();

-- A job queued to run later (a runAt, a schedule's next firing): tells the workers when it comes due, on
-- graphile-worker's own LISTEN connection (worker/due-nudges.ts), so a free worker fetches it then rather than at
-- its next poll, up to two seconds late. A job due already is announced by graphile-worker's add_job itself.
CREATE OR REPLACE FUNCTION "announce_due"(task text, at timestamptz) RETURNS void LANGUAGE sql AS $$
  SELECT pg_notify('accepted:due', json_build_object('task', task, 'at', floor(extract(epoch FROM at) * 1000))::text)
  WHERE at > now()
$$;
