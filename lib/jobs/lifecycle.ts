import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { type AttemptError, type Job, type JobProblem, type JobResult, jobFiles, jobs } from "@/db/schema";
import type { JobOutput, JobType } from "./define";

/**
 * The only place that changes a job's state. Routes and the worker both call
 * these, and every update names the states it may move from, so a job moves
 * only forward:
 *
 *   queued ──▶ running ──▶ succeeded | failed
 *     ▲           │
 *     └───────────┘  (an attempt failed and graphile-worker will retry it)
 *
 * Worker-side updates also name the attempt, so a stale attempt (one whose
 * worker was presumed dead and whose job was run again) cannot overwrite the
 * newer one.
 */

export interface SubmitJob {
  jobType: JobType;
  input: Record<string, unknown>;
  ownerId: string | null;
}

/**
 * Writes the job row and its graphile-worker job in one transaction: either
 * both exist or neither does.
 */
export async function submitJob(db: Database, { jobType, input, ownerId }: SubmitJob): Promise<Job> {
  return db.transaction(async (tx) => {
    const [job] = await tx
      .insert(jobs)
      .values({ type: jobType.type, input, ownerId, maxAttempts: jobType.maxAttempts })
      .returning();
    if (!job) throw new Error("insert into jobs returned no row");
    await tx.execute(
      sql`select graphile_worker.add_job(${jobType.type}, json_build_object('jobId', ${job.id}::text), max_attempts => ${jobType.maxAttempts})`,
    );
    return job;
  });
}

/**
 * Marks the job running for `attempt`. Returns null when there is nothing to
 * run: the job finished already (a duplicate delivery) or no longer exists.
 */
export async function startAttempt(db: Database, jobId: string, attempt: number): Promise<Job | null> {
  const [job] = await db
    .update(jobs)
    .set({
      state: "running",
      attempts: attempt,
      // A retry starts over: its bar and message are its own.
      message: attempt > 1 ? `Attempt ${attempt} started` : null,
      progress: 0,
      estimatedCompletionAt: null,
      retryAt: null,
      attemptStartedAt: sql`now()`,
      startedAt: sql`coalesce(${jobs.startedAt}, now())`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobs.id, jobId), inArray(jobs.state, ["queued", "running"])))
    .returning();
  return job ?? null;
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
 * Stores the output and marks the job succeeded, in one transaction, with the
 * handler's last progress message when it had not been written yet.
 */
export async function completeJob(
  db: Database,
  jobId: string,
  attempt: number,
  output: JobOutput,
  finalMessage?: string,
): Promise<Job | null> {
  return db.transaction(async (tx) => {
    let result: JobResult;
    if (output.kind === "file") {
      const file = { filename: output.filename, contentType: output.contentType, content: output.content };
      await tx
        .insert(jobFiles)
        .values({ jobId, ...file })
        .onConflictDoUpdate({ target: jobFiles.jobId, set: file });
      result = {
        kind: "file",
        filename: output.filename,
        contentType: output.contentType,
        size: output.content.byteLength,
      };
    } else {
      result = { kind: "json", value: output.value };
    }
    const [job] = await tx
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
  });
}

export interface AttemptFailure {
  error: AttemptError;
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
  { error, finalProblem }: AttemptFailure,
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
            retryAt: sql`now() + exp(least(${attempt}, 10)) * interval '1 second'`,
            updatedAt: sql`now()`,
          },
    )
    .where(runningAttempt(jobId, attempt))
    .returning();
  return job ?? null;
}
