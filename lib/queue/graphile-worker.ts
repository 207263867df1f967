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

/** graphile-worker's payload: our row's id, and how many attempts came before this round (after a retry). */
export const queuePayload = z.object({ jobId: z.uuid(), attemptOffset: z.int().min(0).default(0) });

/**
 * An expression that queues the task `task` for our job `jobId` (an SQL
 * expression, so a submit can queue the row it is inserting in the same
 * statement). `attemptOffset`: the attempts our row has had already.
 */
export function addJob(task: string, jobId: SQL, maxAttempts: number, attemptOffset = 0): SQL {
  return sql`graphile_worker.add_job(${task}::text,
    json_build_object('jobId', ${jobId}::text, 'attemptOffset', ${attemptOffset}::int),
    max_attempts => ${maxAttempts}::int, job_key => ${jobId}::text)`;
}

/** Removes our job's queue entry if no worker holds it; if one does, stops any retry of it. */
export async function removeJob(db: Executor, jobId: string): Promise<void> {
  await db.execute(sql`select graphile_worker.remove_job(${jobId}::text)`);
}

const textArray = (values: string[]) =>
  // drizzle expands a JS array into a parameter list; Postgres wants text[].
  sql`array[${sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  )}]::text[]`;

/** The jobs that the given worker pools hold locked: our id, and whether the attempt running is its last. */
export async function lockedJobs(db: Executor, poolIds: string[]): Promise<{ jobId: string; lastAttempt: boolean }[]> {
  if (poolIds.length === 0) return [];
  const rows = await db.execute<{ job_id: string; last_attempt: boolean }>(sql`
    select (payload->>'jobId')::uuid as job_id, attempts >= max_attempts as last_attempt
    from graphile_worker._private_jobs where locked_by = any(${textArray(poolIds)})`);
  return rows.map((row) => ({ jobId: row.job_id, lastAttempt: row.last_attempt }));
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
