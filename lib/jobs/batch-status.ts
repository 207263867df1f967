import { and, asc, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Database } from "@/db/client";
import { batches, jobs } from "@/db/schema";
import { NotFound } from "@/lib/errors";
import type { JobScope } from "./queries";
import { batchUri, hasResultResource, resultUri, statusUri } from "./representation";
import { type JobState, jobStates } from "./states";
import type { batchResultSchema, batchStatusSchema } from "./status-schemas";

/**
 * A batch's state is its jobs' states, counted: read in one aggregate query
 * over the jobs_batch_idx index. Its version is the sum of its jobs'
 * versions, so it grows with every change to any of them (the ETag, and
 * what a long poll waits past).
 */

export interface Batch {
  id: string;
  ownerId: string | null;
  size: number;
  createdAt: Date;
  counts: Record<JobState, number>;
  /** Queued jobs waiting because their type is paused. */
  paused: number;
  /** 0–100: finished jobs count 100, others their own progress. */
  progress: number;
  version: number;
  firstStartedAt: Date | null;
  lastFinishedAt: Date | null;
  /** The latest estimate among running jobs. */
  latestRunningEta: Date | null;
  /** The soonest runAt among its scheduled jobs. */
  soonestRunAt: Date | null;
}

export const batchResultUri = (id: string) => `${batchUri(id)}/result`;

const ownedBatch = (scope: JobScope) => ("allOwners" in scope ? undefined : eq(batches.ownerId, scope.ownerId));

const counted = (state: JobState) => sql<number>`count(*) filter (where ${jobs.state} = ${state})::int`;

/** The batches `which` selects, each with its jobs counted, in one aggregate query. */
async function countedBatches(db: Database, which: SQL | undefined): Promise<Batch[]> {
  const rows = await db
    .select({
      id: batches.id,
      ownerId: batches.ownerId,
      size: batches.size,
      createdAt: batches.createdAt,
      scheduled: counted("scheduled"),
      queued: counted("queued"),
      running: counted("running"),
      succeeded: counted("succeeded"),
      failed: counted("failed"),
      cancelled: counted("cancelled"),
      paused: sql<number>`count(*) filter (where ${jobs.state} in ('scheduled', 'queued') and ${jobs.paused})::int`,
      progressSum: sql<number>`coalesce(sum(case when ${jobs.finishedAt} is not null then 100 else ${jobs.progress} end), 0)::int`,
      version: sql<number>`coalesce(sum(${jobs.version}), 0)::int`,
      firstStartedAt: sql<Date | null>`min(${jobs.startedAt})`.mapWith(jobs.startedAt),
      lastFinishedAt: sql<Date | null>`max(${jobs.finishedAt})`.mapWith(jobs.finishedAt),
      soonestRunAt: sql<Date | null>`min(${jobs.runAt}) filter (where ${jobs.state} = 'scheduled')`.mapWith(jobs.runAt),
      latestRunningEta:
        sql<Date | null>`max(${jobs.estimatedCompletionAt}) filter (where ${jobs.state} = 'running')`.mapWith(
          jobs.estimatedCompletionAt,
        ),
    })
    .from(batches)
    .innerJoin(jobs, eq(jobs.batchId, batches.id))
    .where(which)
    .groupBy(batches.id)
    .orderBy(desc(batches.createdAt), desc(batches.id));
  return rows.map((row) => ({
    id: row.id,
    ownerId: row.ownerId,
    size: row.size,
    createdAt: row.createdAt,
    counts: Object.fromEntries(jobStates.map((state) => [state, row[state]])) as Record<JobState, number>,
    paused: row.paused,
    progress: Math.floor(row.progressSum / row.size),
    version: row.version,
    firstStartedAt: row.firstStartedAt,
    lastFinishedAt: row.lastFinishedAt,
    latestRunningEta: row.latestRunningEta,
    soonestRunAt: row.soonestRunAt,
  }));
}

/** The batch with its jobs counted, if the scope lets the caller see it. */
export async function findBatch(db: Database, scope: JobScope, id: string): Promise<Batch | null> {
  const [batch] = await countedBatches(db, and(eq(batches.id, id), ownedBatch(scope)));
  return batch ?? null;
}

/** The batch, or NotFound: someone else's batch looks the same as none. */
export async function requireBatch(db: Database, scope: JobScope, id: string): Promise<Batch> {
  const batch = await findBatch(db, scope, id);
  if (!batch) throw new NotFound(`There is no batch ${id}.`);
  return batch;
}

/** Its jobs not started yet (scheduled or queued). */
const waiting = (batch: Batch) => batch.counts.scheduled + batch.counts.queued;

export const isBatchFinished = (batch: Batch) => waiting(batch) + batch.counts.running === 0;

/**
 * When the batch should be done: from the rate its jobs have been finishing
 * at since the first started; before any has finished, from the running
 * jobs' own estimates when nothing waits behind them.
 */
export function batchEta(batch: Batch, now: Date): Date | null {
  if (isBatchFinished(batch)) return null;
  const finished = batch.size - waiting(batch) - batch.counts.running;
  if (finished > 0 && batch.firstStartedAt) {
    const elapsedMs = Math.max(1, now.getTime() - batch.firstStartedAt.getTime());
    return new Date(now.getTime() + ((batch.size - finished) * elapsedMs) / finished);
  }
  return waiting(batch) === 0 ? batch.latestRunningEta : null;
}

/** A batch's status, as every transport carries it (batchStatusSchema): what toBatchStatus must build. */
export type BatchStatus = z.infer<typeof batchStatusSchema>;
export type BatchResult = z.infer<typeof batchResultSchema>;

/** The batch's status representation. */
export function toBatchStatus(batch: Batch, now = new Date()): BatchStatus {
  const finished = isBatchFinished(batch);
  const started = waiting(batch) < batch.size;
  return {
    id: batch.id,
    state: finished ? ("finished" as const) : started ? ("running" as const) : ("queued" as const),
    size: batch.size,
    counts: batch.counts,
    paused: batch.paused,
    progress: batch.progress,
    // Grows with every change to any of its jobs: the ETag, and the SSE event id.
    version: batch.version,
    createdAt: batch.createdAt.toISOString(),
    finishedAt: finished ? (batch.lastFinishedAt?.toISOString() ?? null) : null,
    estimatedCompletionAt: batchEta(batch, now)?.toISOString() ?? null,
    links: {
      self: batchUri(batch.id),
      jobs: `/api/jobs?batch=${batch.id}`,
      ...(finished ? { result: batchResultUri(batch.id) } : { cancel: batchUri(batch.id) }),
    },
  };
}

/** Each job's final state and where its result is: the batch's result, once all have finished. */
export async function batchResult(db: Database, batch: Batch): Promise<BatchResult> {
  const items = await db
    .select({
      id: jobs.id,
      type: jobs.type,
      state: jobs.state,
      result: jobs.result,
      error: jobs.error,
      expiredAt: jobs.expiredAt,
    })
    .from(jobs)
    .where(eq(jobs.batchId, batch.id))
    // A batch's jobs are queued a round apart in the order they were sent: priority keeps that order.
    .orderBy(asc(jobs.priority), asc(jobs.id));
  return {
    id: batch.id,
    size: batch.size,
    counts: batch.counts,
    items: items.map((item) => ({
      id: item.id,
      type: item.type,
      state: item.state,
      error: item.error ? { ...item.error, instance: statusUri(item.id) } : null,
      links: {
        self: statusUri(item.id),
        ...(hasResultResource(item) ? { result: resultUri(item.id) } : {}),
      },
    })),
  };
}

/** The caller's batches, newest first (at most `limit`), each counted. */
export async function listBatches(db: Database, scope: JobScope, limit: number): Promise<Batch[]> {
  const ids = await db
    .select({ id: batches.id })
    .from(batches)
    .where(ownedBatch(scope))
    .orderBy(desc(batches.createdAt), desc(batches.id))
    .limit(limit);
  if (ids.length === 0) return [];
  return countedBatches(
    db,
    inArray(
      batches.id,
      ids.map(({ id }) => id),
    ),
  );
}
