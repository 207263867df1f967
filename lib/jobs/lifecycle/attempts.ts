import { and, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { type Job, type JobProblem, type JobResult, jobFiles, jobs } from "@/db/schema";
import type { JobOutput } from "../define";
import { jobFromRow } from "./rows";

/**
 * The worker's transitions of one attempt (queued → running is start.ts):
 * progress while running, running → succeeded, and running → queued or failed when the
 * attempt fails (which dead-worker recovery uses too). Each names the
 * attempt it belongs to, so a stale attempt (one whose worker was presumed
 * dead and whose job was run again) cannot overwrite the newer one.
 */

/** The problem type of a job that failed; its detail says why. */
export const JOB_FAILED = "/problems/job-failed";

const runningAttempt = (jobId: string, attempt: number | null) =>
  and(
    eq(jobs.id, jobId),
    eq(jobs.state, "running"),
    attempt === null ? undefined : eq(jobs.attempts, sql`${attempt}::int`),
  );

/** One success to record: attempt `attempt` of job `jobId` ended with `result`. */
export interface Success {
  jobId: string;
  attempt: number;
  /** The handler's last message, if it had not been written yet. */
  message: string | null;
  result: JobResult;
  /**
   * Set when the attempt's start was never written (it began deferred,
   * lib/jobs/lifecycle/start.ts): how long ago it began. Its row says
   * queued, with the attempt before; this one write starts and ends it.
   */
  deferredMs: number | null;
}

/**
 * running → succeeded for many attempts in one statement (one commit, one
 * statement text that postgres.js prepares once), each with its result and
 * last message; queued → succeeded for an attempt whose start was deferred.
 * Only rows still at that attempt change: a stale attempt, or a cancelled
 * job, writes nothing. Returns the rows that changed.
 */
async function markSucceeded(db: Executor, successes: Success[]): Promise<Job[]> {
  const rows = await db.execute(sql`
    update ${jobs} set
      state = 'succeeded',
      attempts = done.attempt,
      progress = 100,
      message = coalesce(done.message, case
        when done.deferred_ms is null then ${jobs}.message
        when done.attempt > 1 then 'Attempt ' || done.attempt || ' started' end),
      result = done.result::jsonb,
      paused = false,
      retry_at = null,
      estimated_completion_at = null,
      attempt_started_at = case when done.deferred_ms is null then ${jobs}.attempt_started_at
        else now() - make_interval(secs => done.deferred_ms / 1000.0) end,
      started_at = coalesce(${jobs}.started_at, now() - make_interval(secs => done.deferred_ms / 1000.0)),
      finished_at = now(),
      updated_at = now()
    from unnest(${sql.param(successes.map((success) => success.jobId))}::uuid[],
                ${sql.param(successes.map((success) => success.attempt))}::int[],
                ${sql.param(successes.map((success) => success.message))}::text[],
                ${sql.param(successes.map((success) => JSON.stringify(success.result)))}::text[],
                ${sql.param(successes.map((success) => success.deferredMs))}::int[])
      as done(id, attempt, message, result, deferred_ms)
    where ${jobs}.id = done.id and (
      (done.deferred_ms is null and ${jobs}.state = 'running' and ${jobs}.attempts = done.attempt) or
      (done.deferred_ms is not null and ${jobs}.state = 'queued' and ${jobs}.attempts = done.attempt - 1))
    returning ${jobs}.*`);
  return rows.map(jobFromRow);
}

const resultOf = (output: Exclude<JobOutput, { kind: "file" }>): JobResult =>
  output.kind === "json" ? { kind: "json", value: output.value } : { kind: "none" };

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

/** An attempt that ended well: its output, its last message if unwritten, and whether its start was deferred. */
export interface Completion<Output extends JobOutput = JobOutput> {
  jobId: string;
  attempt: number;
  output: Output;
  finalMessage?: string;
  /** How long ago a deferred attempt began (its start was never written). */
  deferredMs?: number;
}

/**
 * running (or, deferred, queued) → succeeded for many attempts whose
 * results are JSON (or none), in one statement: the worker's hot path
 * (worker/batched-writes.ts). Each answer is the job as it now is, or null
 * when its attempt is no longer current.
 */
export async function completeJobs(
  db: Database,
  completions: Completion<Exclude<JobOutput, { kind: "file" }>>[],
): Promise<(Job | null)[]> {
  const done = await markSucceeded(
    db,
    completions.map(({ jobId, attempt, output, finalMessage, deferredMs }) => ({
      jobId,
      attempt,
      message: finalMessage ?? null,
      result: resultOf(output),
      deferredMs: deferredMs ?? null,
    })),
  );
  const byId = new Map(done.map((job) => [job.id, job]));
  return completions.map((completion) => byId.get(completion.jobId) ?? null);
}

/**
 * running → succeeded, storing the output: a file result writes its file
 * row in the same transaction as the same UPDATE. Null when the attempt is
 * no longer current.
 */
export async function completeJob(db: Database, completion: Completion): Promise<Job | null> {
  const { jobId, attempt, output, finalMessage, deferredMs } = completion;
  if (output.kind !== "file") {
    const [job] = await completeJobs(db, [{ ...completion, output }]);
    return job ?? null;
  }
  return db.transaction(async (tx) => {
    const file = { filename: output.filename, contentType: output.contentType, content: output.content };
    const result: JobResult = {
      kind: "file",
      filename: output.filename,
      contentType: output.contentType,
      size: output.content.byteLength,
    };
    const [job] = await markSucceeded(tx, [
      { jobId, attempt, message: finalMessage ?? null, result, deferredMs: deferredMs ?? null },
    ]);
    // Only the current attempt's file is kept: a stale attempt wrote nothing above, and writes nothing here.
    if (job) {
      await tx
        .insert(jobFiles)
        .values({ jobId, ...file })
        .onConflictDoUpdate({ target: jobFiles.jobId, set: file });
    }
    return job ?? null;
  });
}

export interface AttemptFailure {
  /** Why the attempt ended; kept in the job's attemptErrors. */
  message: string;
  /** "interrupted": its worker stopped responding (recovery); "failed": the handler threw. */
  cause: "failed" | "interrupted";
  /**
   * graphile-worker's own attempt count, on which its retry backoff is
   * based; mirrored as retryAt. Absent when the retry runs at once.
   */
  queueAttempt?: number;
  /** Set when no attempt follows: the job ends failed with this problem. */
  finalProblem?: JobProblem;
}

/**
 * running → queued (it will be retried) or, after its last attempt,
 * running → failed. The attempt's error is kept either way. `attempt` names
 * the attempt that failed; null (recovery) means whichever attempt is running.
 * The one place this transition is written: the worker and dead-worker
 * recovery both come here.
 */
export async function recordAttemptFailure(
  db: Executor,
  jobId: string,
  attempt: number | null,
  failure: AttemptFailure,
): Promise<Job | null> {
  const attemptError = sql`${jobs.attemptErrors} || jsonb_build_array(jsonb_build_object(
    'attempt', ${jobs.attempts}, 'message', ${failure.message}::text, 'failedAt', now(),
    'durationMs', coalesce((extract(epoch from now() - ${jobs.attemptStartedAt}) * 1000)::int, 0)))`;
  const ended = failure.finalProblem
    ? {
        state: "failed" as const,
        error: failure.finalProblem,
        message: sql`'Failed after ' || ${jobs.attempts} || case when ${jobs.attempts} = 1 then ' attempt' else ' attempts' end`,
        finishedAt: sql`now()`,
      }
    : {
        state: "queued" as const,
        message: sql`'Attempt ' || ${jobs.attempts} || ' ' || ${failure.cause === "failed" ? "failed" : "was interrupted"}::text || '; it will be retried'`,
        // graphile-worker schedules the retry exp(min(attempts, 10)) seconds
        // after the failure; mirrored here so clients know when to look.
        retryAt:
          failure.queueAttempt === undefined
            ? null
            : sql`now() + exp(least(${failure.queueAttempt}::int, 10)) * interval '1 second'`,
      };
  const [job] = await db
    .update(jobs)
    .set({ ...ended, attemptErrors: attemptError, estimatedCompletionAt: null, updatedAt: sql`now()` })
    .where(runningAttempt(jobId, attempt))
    .returning();
  return job ?? null;
}
