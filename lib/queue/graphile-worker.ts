import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";

/**
 * Every call into graphile-worker's schema, in one place: its functions
 * (add_job, remove_job, force_unlock_workers) and the private table that
 * recovery must read. A graphile-worker upgrade touches this file only.
 *
 * Our jobs row is the record; graphile-worker's job is its shadow in the
 * queue, with our row's id as job_key, so either can find the other.
 */

/**
 * graphile-worker's own batching (a runner's preset.worker): fetch and lock
 * `localQueueSize` jobs at a time (off below 2), and wait `completeBatchMs`
 * to complete or fail several at once (-1: off).
 */
export function graphileBatching(localQueueSize: number, completeBatchMs: number) {
  return {
    ...(localQueueSize > 1 ? { localQueue: { size: localQueueSize } } : {}),
    completeJobBatchDelay: completeBatchMs,
    failJobBatchDelay: completeBatchMs,
  };
}

/** graphile-worker's payload: our row's id, and how many attempts came before this round (after a retry). */
export const queuePayload = z.object({ jobId: z.uuid(), attemptOffset: z.int().min(0).default(0) });

/** Our job's place in graphile-worker's queue. */
export interface QueueEntry {
  /** The task: our job type. */
  task: string | SQL;
  /** Our row's id (an SQL expression, so a submit can queue the row it is inserting in the same statement). */
  jobId: SQL;
  /** Attempts graphile-worker may make of this entry. */
  maxAttempts: number | SQL;
  /** Attempts our row has had already (after a retry, or a start that was held back). */
  attemptOffset?: number;
  /** Lower runs first; fair sharing decides it (lib/jobs/fair-share.ts). */
  priority: SQL | number;
  /** Not before this many seconds from now. */
  delaySeconds?: number;
}

/**
 * An expression that queues our job. Its flag is its type, so a worker can
 * skip the types that are paused or at their concurrency limit
 * (graphile-worker's forbiddenFlags). With our row's id as job_key, adding
 * again replaces an entry no worker holds, and one that a worker holds is
 * left to end without a retry while the new one waits its turn.
 */
export function addJob(entry: QueueEntry): SQL {
  return sql`graphile_worker.add_job(${entry.task}::text,
    json_build_object('jobId', ${entry.jobId}::text, 'attemptOffset', ${entry.attemptOffset ?? 0}::int),
    run_at => now() + make_interval(secs => ${entry.delaySeconds ?? 0}::int),
    max_attempts => ${entry.maxAttempts}::int, job_key => ${entry.jobId}::text,
    priority => (${entry.priority})::int, flags => array[${entry.task}::text])`;
}

/**
 * graphile-worker's task that moves a scheduled job to queued when its
 * runAt comes (worker/timed-tasks.ts): the job's own entry then, with its
 * fair priority as of then. Its payload is queuePayload's.
 */
export const RELEASE_SCHEDULED_TASK = "accepted:release-scheduled";

/**
 * An expression that queues a scheduled job's release at `runAt`, keyed as
 * its job's own entry would be (our row's id): a cancel removes it as it
 * removes that, and the release's own add_job of the job replaces it.
 */
export function addRelease(jobId: SQL, runAt: SQL): SQL {
  return sql`graphile_worker.add_job(${RELEASE_SCHEDULED_TASK}::text,
    json_build_object('jobId', ${jobId}::text, 'attemptOffset', 0), run_at => ${runAt},
    max_attempts => 25, job_key => ${jobId}::text)`;
}

/**
 * An expression that queues many of our jobs in one call (graphile-worker's
 * add_jobs), as addJob would each (a scheduled one's release, as
 * addRelease would): `rows` names a set with our rows' id, type, state,
 * max_attempts, priority and run_at (a CTE's name, say). Yields a row per entry.
 */
export function addJobsFrom(rows: SQL): SQL {
  return sql`graphile_worker.add_jobs(array(
    select case when queued.state = 'scheduled'
      then row(${RELEASE_SCHEDULED_TASK}::text, json_build_object('jobId', queued.id::text, 'attemptOffset', 0), null,
               queued.run_at, 25, queued.id::text, 0, null)::graphile_worker.job_spec
      else row(queued.type, json_build_object('jobId', queued.id::text, 'attemptOffset', 0), null, now(),
               queued.max_attempts, queued.id::text, queued.priority, array[queued.type])::graphile_worker.job_spec end
    from ${rows} as queued))`;
}

/** Removes our job's queue entry if no worker holds it; if one does, stops any retry of it. */
export async function removeJob(db: Executor, jobId: string): Promise<void> {
  await db.execute(sql`select graphile_worker.remove_job(${jobId}::text)`);
}

/** removeJob for many at once. */
export async function removeJobs(db: Executor, jobIds: string[]): Promise<void> {
  if (jobIds.length === 0) return;
  await db.execute(sql`select graphile_worker.remove_job(key) from unnest(${textArray(jobIds)}) as key`);
}

const textArray = (values: string[]) =>
  // drizzle expands a JS array into a parameter list; Postgres wants text[].
  sql`array[${sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  )}]::text[]`;

/** The jobs that the given worker pools hold locked: our id, and whether the attempt running is its last. */
export async function lockedJobs(
  db: Executor,
  poolIds: string[],
): Promise<{ jobId: string; attempt: number; lockedMsAgo: number; lastAttempt: boolean }[]> {
  if (poolIds.length === 0) return [];
  const rows = await db.execute<{ job_id: string; attempt: number; locked_ms_ago: number; last_attempt: boolean }>(sql`
    select (payload->>'jobId')::uuid as job_id, coalesce((payload->>'attemptOffset')::int, 0) + attempts as attempt,
           (extract(epoch from now() - locked_at) * 1000)::int as locked_ms_ago, attempts >= max_attempts as last_attempt
    from graphile_worker._private_jobs where locked_by = any(${textArray(poolIds)})`);
  return rows.map((row) => ({
    jobId: row.job_id,
    attempt: row.attempt,
    lockedMsAgo: row.locked_ms_ago,
    lastAttempt: row.last_attempt,
  }));
}

/**
 * Pools holding a lock taken before `lockedBefore` that are not among
 * `knownPoolIds`' source (a subquery of pools known to be alive or dead).
 */
export async function lockHoldersSince(db: Executor, lockedBefore: SQL, exceptPools: SQL): Promise<string[]> {
  const rows = await db.execute<{ locked_by: string }>(sql`
    select distinct locked_by from graphile_worker._private_jobs
    where locked_by is not null and locked_at < ${lockedBefore} and locked_by not in (${exceptPools})`);
  return rows.map((row) => row.locked_by);
}

/** Drops the locks of the given pools, so other workers take their jobs at once. */
export async function forceUnlockWorkers(db: Executor, poolIds: string[]): Promise<void> {
  if (poolIds.length === 0) return;
  await db.execute(sql`select graphile_worker.force_unlock_workers(${textArray(poolIds)})`);
}

/** Jobs waiting for a worker whose run time has come. */
export async function queueDepth(db: Executor): Promise<number> {
  const [row] = await db.execute<{ depth: number }>(
    sql`select count(*)::int as depth from graphile_worker.jobs where locked_at is null and run_at <= now()`,
  );
  return row?.depth ?? 0;
}

/** graphile-worker's task that delivers a webhook endpoint's chain of messages (worker/webhooks.ts). */
export const DELIVER_WEBHOOKS_TASK = "accepted:deliver-webhooks";
/** graphile-worker's task that emails a job's owner that it finished (worker/email-when-done.ts). */
export const EMAIL_WHEN_DONE_TASK = "accepted:email-when-done";

/** DELIVER_WEBHOOKS_TASK's payload, as queue_webhook_chain (db/functions/webhooks.sql) writes it. */
export const webhookChainPayload = z.object({ endpointId: z.uuid(), chain: z.uuid() });
/** EMAIL_WHEN_DONE_TASK's payload, as jobs_after_update (db/functions/jobs.sql) writes it. */
export const emailWhenDonePayload = z.object({ jobId: z.uuid(), version: z.int() });

/**
 * Queues the delivery of an endpoint's chain of messages, not before
 * `notBefore`. The SQL function (in the webhooks migration, which the jobs
 * trigger calls too) names the chain as graphile-worker's job key and queue,
 * so one worker at a time works on it, in order.
 */
export async function queueWebhookChain(
  db: Executor,
  endpointId: string,
  chain: string,
  notBefore: Date,
): Promise<void> {
  await db.execute(
    sql`select queue_webhook_chain(${endpointId}::uuid, ${chain}::uuid, ${notBefore.toISOString()}::timestamptz)`,
  );
}

/**
 * Forgets the named queues no job is in (graphile-worker's GC_JOB_QUEUES
 * cleanup): every webhook chain is a queue of its own, and graphile-worker
 * keeps a row for each queue it has seen.
 */
export async function forgetEmptyQueues(db: Executor): Promise<number> {
  const rows = await db.execute(sql`
    delete from graphile_worker._private_job_queues as queues
    where locked_at is null
      and not exists (select 1 from graphile_worker._private_jobs as jobs where jobs.job_queue_id = queues.id)
    returning queues.id`);
  return rows.length;
}

/** graphile-worker's task that fires a schedule (worker/schedule-firing.ts), one queue entry per schedule. */
export const FIRE_SCHEDULE_TASK = "accepted:fire-schedule";
/** FIRE_SCHEDULE_TASK's payload: the schedule, and the firing this entry is for. */
export const fireSchedulePayload = z.object({ scheduleId: z.uuid(), at: z.iso.datetime() });
const firingKey = (scheduleId: string) => `schedule:${scheduleId}`;

/**
 * Queues a schedule's next firing at `at`, replacing the entry of an earlier
 * one (keyed by the schedule: one entry each, however often it is changed).
 * The workers are told when it comes due (announce_due).
 */
export async function queueScheduleFiring(db: Executor, scheduleId: string, at: Date): Promise<void> {
  const iso = at.toISOString();
  await db.execute(sql`
    select graphile_worker.add_job(${FIRE_SCHEDULE_TASK}::text,
             json_build_object('scheduleId', ${scheduleId}::text, 'at', ${iso}::text),
             run_at => ${iso}::timestamptz, max_attempts => 25, job_key => ${firingKey(scheduleId)}::text),
           announce_due(${FIRE_SCHEDULE_TASK}::text, ${iso}::timestamptz)`);
}

/** Takes a schedule's pending firing out of the queue (paused, or deleted). */
export async function unqueueScheduleFiring(db: Executor, scheduleId: string): Promise<void> {
  await db.execute(sql`select graphile_worker.remove_job(${firingKey(scheduleId)}::text)`);
}
