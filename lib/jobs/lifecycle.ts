import { createHash } from "node:crypto";
import { and, eq, getTableColumns, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  type AttemptError,
  idempotencyKeys,
  type Job,
  type JobProblem,
  type JobResult,
  jobFiles,
  jobs,
} from "@/db/schema";
import { type AuditEntry, recordAudit } from "@/lib/admin/audit";
import { readConfig } from "@/lib/config";
import type { JobOutput, JobType } from "./define";
import { type JobScope, ownedBy } from "./queries";

/**
 * The only place that changes a job's state. Routes and the worker both call
 * these, and every update names the states it may move from:
 *
 *   queued    → running (a worker starts an attempt) | cancelled
 *   running   → succeeded | failed (its last attempt failed) | cancelled
 *             | queued (an attempt failed, or its worker died: it will be retried)
 *   failed    → queued (retried from the API)
 *   succeeded, cancelled: final
 *
 * Worker-side updates also name the attempt, so a stale attempt (one whose
 * worker was presumed dead and whose job was run again) cannot overwrite the
 * newer one.
 */

export interface SubmitJob {
  jobType: JobType;
  input: Record<string, unknown>;
  ownerId: string | null;
  /** The client's Idempotency-Key, if it sent one. */
  idempotencyKey?: string;
}

export type SubmitOutcome =
  | { kind: "created"; job: Job }
  /** The key was used before for this same request: the job it made. */
  | { kind: "replayed"; job: Job }
  /** The key was used before for a different request. */
  | { kind: "key-reused"; job: Job };

/** The graphile-worker payload: our row's id, and how many attempts came before this round. */
export interface QueuePayload {
  jobId: string;
  attemptOffset?: number;
}

type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * Adds graphile-worker's job for our row. Its job_key is our id, so a cancel
 * can remove it (graphile_worker.remove_job) whether or not it is running.
 */
async function enqueue(tx: Transaction, job: Job, jobType: JobType, attemptOffset: number) {
  const payload: QueuePayload = { jobId: job.id, ...(attemptOffset > 0 ? { attemptOffset } : {}) };
  await tx.execute(
    sql`select graphile_worker.add_job(${jobType.type}, ${JSON.stringify(payload)}::json, max_attempts => ${jobType.maxAttempts}, job_key => ${job.id}::text)`,
  );
}

/**
 * The row and its queue job in one statement (so one round trip, and atomic
 * like any single statement): the common submit, without an Idempotency-Key.
 */
async function insertAndEnqueue(
  db: Database,
  jobType: JobType,
  input: Record<string, unknown>,
  ownerId: string | null,
): Promise<Job> {
  const [row] = await db.execute(sql`
    with job as (
      insert into ${jobs} (type, input, owner_id, max_attempts, retention_seconds)
      values (${jobType.type}, ${JSON.stringify(input)}::jsonb, ${ownerId}, ${jobType.maxAttempts}, ${retentionSeconds(jobType)})
      returning *
    ), queued as (
      select graphile_worker.add_job(${jobType.type}, json_build_object('jobId', job.id::text),
        max_attempts => ${jobType.maxAttempts}, job_key => job.id::text) from job
    )
    select job.* from job, queued`);
  if (!row) throw new Error("insert into jobs returned no row");
  return jobFromRow(row);
}

/** How long a finished job of this type is kept, in seconds. */
function retentionSeconds(jobType: JobType): number {
  return Math.round((jobType.retentionDays ?? readConfig().JOB_RETENTION_DAYS) * 86_400);
}

/** Maps a raw jobs row (snake_case, driver values) to drizzle's Job, as a select would. */
function jobFromRow(row: Record<string, unknown>): Job {
  const job: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(jobs))) {
    const value = row[column.name];
    job[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return job as Job;
}

class KeyTaken extends Error {}

const ownerKeyOf = (ownerId: string | null) => ownerId ?? "";

/** Hash of what the request asks for, after validation: the same request hashes the same. */
function requestHash(jobType: JobType, input: Record<string, unknown>): string {
  return createHash("sha256")
    .update(JSON.stringify({ type: jobType.type, input }))
    .digest("hex");
}

async function findByKey(
  db: Database,
  ownerId: string | null,
  key: string,
  hash: string,
): Promise<SubmitOutcome | null> {
  const [found] = await db
    .select({ job: jobs, requestHash: idempotencyKeys.requestHash })
    .from(idempotencyKeys)
    .innerJoin(jobs, eq(jobs.id, idempotencyKeys.jobId))
    .where(
      and(
        eq(idempotencyKeys.ownerKey, ownerKeyOf(ownerId)),
        eq(idempotencyKeys.key, key),
        sql`${idempotencyKeys.createdAt} > now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})`,
      ),
    );
  if (!found) return null;
  return { kind: found.requestHash === hash ? "replayed" : "key-reused", job: found.job };
}

/** How long an Idempotency-Key is remembered. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

/**
 * Writes the job row and its graphile-worker job in one transaction: either
 * both exist or neither does. With an Idempotency-Key, a repeat of the same
 * request returns the job the first one made; of two concurrent requests
 * with one key, the second waits on the first's key row and then finds it.
 */
export async function submitJob(db: Database, submit: SubmitJob): Promise<SubmitOutcome> {
  const { jobType, input, ownerId, idempotencyKey } = submit;
  const hash = requestHash(jobType, input);
  if (!idempotencyKey) return { kind: "created", job: await insertAndEnqueue(db, jobType, input, ownerId) };
  const earlier = await findByKey(db, ownerId, idempotencyKey, hash);
  if (earlier) return earlier;
  try {
    const job = await db.transaction(async (tx) => {
      const [job] = await tx
        .insert(jobs)
        .values({
          type: jobType.type,
          input,
          ownerId,
          maxAttempts: jobType.maxAttempts,
          retentionSeconds: retentionSeconds(jobType),
        })
        .returning();
      if (!job) throw new Error("insert into jobs returned no row");
      {
        const ownerKey = ownerKeyOf(ownerId);
        // An expired record of this key no longer counts; it makes way.
        await tx
          .delete(idempotencyKeys)
          .where(
            and(
              eq(idempotencyKeys.ownerKey, ownerKey),
              eq(idempotencyKeys.key, idempotencyKey),
              sql`${idempotencyKeys.createdAt} <= now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})`,
            ),
          );
        const claimed = await tx
          .insert(idempotencyKeys)
          .values({ ownerKey, key: idempotencyKey, requestHash: hash, jobId: job.id })
          .onConflictDoNothing()
          .returning({ key: idempotencyKeys.key });
        if (claimed.length === 0) throw new KeyTaken(); // rolls back our job row
      }
      await enqueue(tx, job, jobType, 0);
      return job;
    });
    return { kind: "created", job };
  } catch (error) {
    if (!(error instanceof KeyTaken)) throw error;
    const winner = await findByKey(db, ownerId, idempotencyKey, hash);
    if (!winner) throw new Error("Idempotency-Key conflict, but no record of it");
    return winner;
  }
}

/**
 * Marks the job running for `attempt`. Returns null when there is nothing to
 * run: the job finished already (a duplicate delivery) or no longer exists.
 */
export async function startAttempt(db: Database, jobId: string, attempt: number): Promise<Job | null> {
  const [job] = await preparedFor(db).startAttempt.execute({ id: jobId, attempt });
  return job ?? null;
}

/**
 * The worker's per-job statements, built once per database client: query
 * building was a sixth of the worker's CPU in the drain benchmark.
 */
function prepareStatements(db: Database) {
  const attempt = sql.placeholder("attempt");
  return {
    startAttempt: db
      .update(jobs)
      .set({
        state: "running",
        attempts: sql`${attempt}::int`,
        // A retry starts over: its bar and message are its own.
        message: sql`case when ${attempt}::int > 1 then 'Attempt ' || ${attempt}::int || ' started' end`,
        progress: 0,
        estimatedCompletionAt: null,
        retryAt: null,
        attemptStartedAt: sql`now()`,
        startedAt: sql`coalesce(${jobs.startedAt}, now())`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(jobs.id, sql.placeholder("id")), inArray(jobs.state, ["queued", "running"])))
      .returning()
      .prepare("start_attempt"),
    completeWithJson: db
      .update(jobs)
      .set({
        state: "succeeded",
        progress: 100,
        message: sql`coalesce(${sql.placeholder("message")}::text, ${jobs.message})`,
        result: sql`${sql.placeholder("result")}::jsonb`,
        estimatedCompletionAt: null,
        finishedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(
        and(
          eq(jobs.id, sql.placeholder("id")),
          eq(jobs.state, "running"),
          eq(jobs.attempts, sql`${sql.placeholder("attempt")}::int`),
        ),
      )
      .returning()
      .prepare("complete_with_json"),
  };
}

const statements = new WeakMap<Database, ReturnType<typeof prepareStatements>>();
function preparedFor(db: Database) {
  let prepared = statements.get(db);
  if (!prepared) {
    prepared = prepareStatements(db);
    statements.set(db, prepared);
  }
  return prepared;
}

const runningAttempt = (jobId: string, attempt: number) =>
  and(eq(jobs.id, jobId), eq(jobs.state, "running"), eq(jobs.attempts, attempt));

/**
 * Records progress and derives the estimated completion from the rate since
 * the attempt began, using the database's clock for both ends.
 */
export async function recordProgress(
  db: Database,
  jobId: string,
  attempt: number,
  update: { percent: number; message?: string },
): Promise<void> {
  const percent = Math.min(100, Math.max(0, Math.round(update.percent)));
  await db
    .update(jobs)
    .set({
      progress: percent,
      ...(update.message !== undefined ? { message: update.message } : {}),
      estimatedCompletionAt:
        percent > 0 && percent < 100
          ? sql`${jobs.attemptStartedAt} + (now() - ${jobs.attemptStartedAt}) * (100.0 / ${percent})`
          : null,
      updatedAt: sql`now()`,
    })
    .where(runningAttempt(jobId, attempt));
}

/**
 * Stores the output and marks the job succeeded, with the handler's last
 * progress message when it had not been written yet. A JSON result is one
 * prepared UPDATE (the hot path); a file result needs its row written in the
 * same transaction, and a prepared statement cannot join a transaction, so
 * that path builds the same UPDATE per call.
 */
export async function completeJob(
  db: Database,
  jobId: string,
  attempt: number,
  output: JobOutput,
  finalMessage?: string,
): Promise<Job | null> {
  const markSucceeded = async (runner: Database | Transaction, result: JobResult) => {
    const [job] = await runner
      .update(jobs)
      .set({
        state: "succeeded",
        progress: 100,
        ...(finalMessage !== undefined ? { message: finalMessage } : {}),
        result,
        estimatedCompletionAt: null,
        finishedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(runningAttempt(jobId, attempt))
      .returning();
    return job ?? null;
  };
  if (output.kind !== "file") {
    const result: JobResult = output.kind === "json" ? { kind: "json", value: output.value } : { kind: "none" };
    const [job] = await preparedFor(db).completeWithJson.execute({
      id: jobId,
      attempt,
      message: finalMessage ?? null,
      result: JSON.stringify(result),
    });
    return job ?? null;
  }
  return db.transaction(async (tx) => {
    const file = { filename: output.filename, contentType: output.contentType, content: output.content };
    await tx
      .insert(jobFiles)
      .values({ jobId, ...file })
      .onConflictDoUpdate({ target: jobFiles.jobId, set: file });
    return markSucceeded(tx, {
      kind: "file",
      filename: output.filename,
      contentType: output.contentType,
      size: output.content.byteLength,
    });
  });
}

export interface AttemptFailure {
  error: AttemptError;
  /** graphile-worker's own attempt count, which its backoff is based on (it restarts after a retry from the API). */
  queueAttempt: number;
  /** Set when no attempt follows: the job ends failed with this problem. */
  finalProblem?: JobProblem;
}

/**
 * Keeps the attempt's error and either puts the job back to queued (the
 * worker will retry it) or, on the last attempt, marks it failed.
 */
export async function recordAttemptFailure(
  db: Database,
  jobId: string,
  attempt: number,
  { error, queueAttempt, finalProblem }: AttemptFailure,
): Promise<Job | null> {
  const appendError = sql`${jobs.attemptErrors} || ${JSON.stringify([error])}::jsonb`;
  const [job] = await db
    .update(jobs)
    .set(
      finalProblem
        ? {
            state: "failed",
            error: finalProblem,
            message: `Failed after ${attempt} attempt${attempt === 1 ? "" : "s"}`,
            attemptErrors: appendError,
            estimatedCompletionAt: null,
            finishedAt: sql`now()`,
            updatedAt: sql`now()`,
          }
        : {
            state: "queued",
            attemptErrors: appendError,
            message: `Attempt ${attempt} failed; it will be retried`,
            estimatedCompletionAt: null,
            // graphile-worker schedules the retry exp(min(attempts, 10)) seconds
            // after the failure; mirrored here so clients know when to look.
            retryAt: sql`now() + exp(least(${queueAttempt}, 10)) * interval '1 second'`,
            updatedAt: sql`now()`,
          },
    )
    .where(runningAttempt(jobId, attempt))
    .returning();
  return job ?? null;
}

export type CancelOutcome = { kind: "cancelled" | "already-cancelled" | "finished"; job: Job } | { kind: "not-found" };

/**
 * Cancels a queued or running job. A queued job's graphile-worker job is
 * removed at once; a running one is told by the NOTIFY this update sends,
 * and its handler's AbortSignal fires (see worker/run-task.ts).
 */
export async function cancelJob(
  db: Database,
  scope: JobScope,
  id: string,
  cancelledBy: string,
  /** An admin's cancel is audited in the same transaction. */
  audit?: Omit<AuditEntry, "jobIds">,
): Promise<CancelOutcome> {
  return db.transaction(async (tx) => {
    const [cancelled] = await tx
      .update(jobs)
      .set({
        state: "cancelled",
        cancelledAt: sql`now()`,
        cancelledBy,
        message: "Cancelled",
        estimatedCompletionAt: null,
        retryAt: null,
        finishedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(jobs.id, id), ownedBy(scope), inArray(jobs.state, ["queued", "running"])))
      .returning();
    if (cancelled) {
      // Deletes the queue job if no worker holds it; else stops any retry of it.
      await tx.execute(sql`select graphile_worker.remove_job(${id}::text)`);
      if (audit) await recordAudit(tx, { ...audit, jobIds: [id] });
      return { kind: "cancelled", job: cancelled };
    }
    const [job] = await tx
      .select()
      .from(jobs)
      .where(and(eq(jobs.id, id), ownedBy(scope)));
    if (!job) return { kind: "not-found" };
    return { kind: job.state === "cancelled" ? "already-cancelled" : "finished", job };
  });
}

export type RetryOutcome = { kind: "retried" | "not-failed"; job: Job } | { kind: "not-found" };

/**
 * Runs a failed job again: the same job, its attempts counting on from
 * where they stopped, with the job type's attempts allowed once more.
 */
export async function retryJob(
  db: Database,
  scope: JobScope,
  id: string,
  jobType: JobType,
  /** An admin's retry is audited in the same transaction. */
  audit?: Omit<AuditEntry, "jobIds">,
): Promise<RetryOutcome> {
  return db.transaction(async (tx) => {
    const [job] = await tx
      .update(jobs)
      .set({
        state: "queued",
        maxAttempts: sql`${jobs.attempts} + ${jobType.maxAttempts}`,
        progress: 0,
        message: "Retry requested",
        error: null,
        finishedAt: null,
        updatedAt: sql`now()`,
      })
      // An expired job has lost its result and files: it stays as it is.
      .where(and(eq(jobs.id, id), ownedBy(scope), eq(jobs.state, "failed"), isNull(jobs.expiredAt)))
      .returning();
    if (job) {
      await enqueue(tx, job, jobType, job.attempts);
      if (audit) await recordAudit(tx, { ...audit, jobIds: [id] });
      return { kind: "retried", job };
    }
    const [existing] = await tx
      .select()
      .from(jobs)
      .where(and(eq(jobs.id, id), ownedBy(scope)));
    return existing ? { kind: "not-failed", job: existing } : { kind: "not-found" };
  });
}

/**
 * Expires finished jobs: their result and result file are deleted and
 * expired_at is set, so their status URI answers 410 Gone from then on (the
 * row stays, as the record that the job existed). Either the jobs whose expiry
 * has come, a batch at a time (the scheduled purge), or one finished job now
 * (an admin purging early). Returns the ids expired.
 */
export async function expireJobs(
  db: Database,
  which: { due: true; limit: number } | { id: string; audit: Omit<AuditEntry, "jobIds"> },
): Promise<string[]> {
  return db.transaction(async (tx) => {
    const candidates =
      "id" in which
        ? and(eq(jobs.id, which.id), isNull(jobs.expiredAt), isNotNull(jobs.finishedAt))
        : inArray(
            jobs.id,
            tx
              .select({ id: jobs.id })
              .from(jobs)
              .where(and(isNull(jobs.expiredAt), lte(jobs.expiresAt, sql`now()`)))
              .limit(which.limit),
          );
    const expired = await tx
      .update(jobs)
      .set({ expiredAt: sql`now()`, result: null, updatedAt: sql`now()` })
      .where(candidates)
      .returning({ id: jobs.id });
    const ids = expired.map((row) => row.id);
    if (ids.length > 0) await tx.delete(jobFiles).where(inArray(jobFiles.jobId, ids));
    if (ids.length > 0 && "audit" in which) await recordAudit(tx, { ...which.audit, jobIds: ids });
    return ids;
  });
}

const INTERRUPTED = "The worker running this attempt stopped responding";

/**
 * Releases the jobs held by workers presumed dead (`poolIds`): each running
 * attempt is recorded as interrupted, and the job queued again, or failed
 * when that was its last attempt; then graphile-worker's locks are dropped
 * so another worker takes them at once.
 */
export async function releaseDeadWorkers(db: Database, poolIds: string[]): Promise<number> {
  if (poolIds.length === 0) return 0;
  // drizzle expands a JS array into a parameter list; Postgres wants text[].
  const ids = sql`array[${sql.join(
    poolIds.map((id) => sql`${id}`),
    sql`, `,
  )}]::text[]`;
  return db.transaction(async (tx) => {
    const held = await tx.execute<{ job_id: string; last_attempt: boolean }>(sql`
      select (payload->>'jobId')::uuid as job_id, attempts >= max_attempts as last_attempt
      from graphile_worker._private_jobs where locked_by = any(${ids})`);
    for (const { job_id: jobId, last_attempt: lastAttempt } of held) {
      const error = sql`jsonb_build_array(jsonb_build_object(
        'attempt', ${jobs.attempts}, 'message', ${INTERRUPTED}::text, 'failedAt', now(),
        'durationMs', (extract(epoch from now() - ${jobs.attemptStartedAt}) * 1000)::int))`;
      await tx
        .update(jobs)
        .set(
          lastAttempt
            ? {
                state: "failed",
                attemptErrors: sql`${jobs.attemptErrors} || ${error}`,
                error: { type: "/problems/job-failed", title: "The job failed", status: 500, detail: INTERRUPTED },
                message: sql`'Failed after ' || ${jobs.attempts} || ' attempts'`,
                estimatedCompletionAt: null,
                finishedAt: sql`now()`,
                updatedAt: sql`now()`,
              }
            : {
                state: "queued",
                attemptErrors: sql`${jobs.attemptErrors} || ${error}`,
                message: sql`'Attempt ' || ${jobs.attempts} || ' was interrupted; it will be retried'`,
                estimatedCompletionAt: null,
                updatedAt: sql`now()`,
              },
        )
        .where(and(eq(jobs.id, jobId), eq(jobs.state, "running")));
      if (lastAttempt) await tx.execute(sql`select graphile_worker.remove_job(${jobId}::text)`);
    }
    await tx.execute(sql`select graphile_worker.force_unlock_workers(${ids})`);
    return held.length;
  });
}
