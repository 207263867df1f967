import { and, eq, type SQLWrapper, sql } from "drizzle-orm";
import { type Database, type Executor, oncePerClient } from "@/db/client";
import { type Job, type JobProblem, type JobResult, jobFiles, jobs } from "@/db/schema";
import type { JobOutput } from "../define";

/**
 * The worker's transitions of one attempt (queued → running is start.ts):
 * progress while running, running → succeeded, and running → queued or failed when the
 * attempt fails (which dead-worker recovery uses too). Each names the
 * attempt it belongs to, so a stale attempt (one whose worker was presumed
 * dead and whose job was run again) cannot overwrite the newer one.
 */

/** The problem type of a job that failed; its detail says why. */
export const JOB_FAILED = "/problems/job-failed";

/** A value for a statement: a plain one, or a placeholder of a prepared statement. */
type Param<T> = T | SQLWrapper;

const runningAttempt = (jobId: Param<string>, attempt: Param<number> | null) =>
  and(
    eq(jobs.id, jobId),
    eq(jobs.state, "running"),
    attempt === null ? undefined : eq(jobs.attempts, sql`${attempt}::int`),
  );

/** running → succeeded, with the result and the handler's last message if it had not been written. */
function markSucceeded(
  db: Executor,
  p: { id: Param<string>; attempt: Param<number>; message: Param<string | null>; result: Param<string> },
) {
  return db
    .update(jobs)
    .set({
      state: "succeeded",
      progress: 100,
      message: sql`coalesce(${p.message}::text, ${jobs.message})`,
      result: sql`${p.result}::jsonb`,
      estimatedCompletionAt: null,
      finishedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(runningAttempt(p.id, p.attempt))
    .returning();
}

/**
 * The worker's per-job statements, built once per database client: query
 * building was a sixth of the worker's CPU in the drain benchmark.
 */
function prepareStatements(db: Database) {
  const attempt = sql.placeholder("attempt");
  return {
    markSucceeded: markSucceeded(db, {
      id: sql.placeholder("id"),
      attempt,
      message: sql.placeholder("message"),
      result: sql.placeholder("result"),
    }).prepare("mark_succeeded"),
  };
}

const preparedFor = oncePerClient(prepareStatements);

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
 * running → succeeded, storing the output. A JSON (or no) result is one
 * prepared UPDATE, the hot path; a file result writes its file row in the
 * same transaction, with the same UPDATE built for it (a prepared statement
 * cannot join a transaction). Null when the attempt is no longer current.
 */
export async function completeJob(
  db: Database,
  jobId: string,
  attempt: number,
  output: JobOutput,
  finalMessage?: string,
): Promise<Job | null> {
  const message = finalMessage ?? null;
  if (output.kind !== "file") {
    const result: JobResult = output.kind === "json" ? { kind: "json", value: output.value } : { kind: "none" };
    const [job] = await preparedFor(db).markSucceeded.execute({
      id: jobId,
      attempt,
      message,
      result: JSON.stringify(result),
    });
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
    const [job] = await markSucceeded(tx, { id: jobId, attempt, message, result: JSON.stringify(result) });
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
