import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { type Job, jobs } from "@/db/schema";
import { isUniqueViolation } from "@/db/unique-violations";
import { type Actor, recordAudit } from "@/lib/audit";
import { JobNotFound, JobStateConflict } from "@/lib/errors";
import { addJob, removeJob, removeJobs } from "@/lib/queue/graphile-worker";
import { fairPriority, typePaused, unfinishedOf } from "../fair-share";
import { type JobScope, ownedBy } from "../queries";
import { findJobType } from "../registry";
import { unfinishedStates } from "../states";

/**
 * What people ask of a job once it exists: cancel it, or run a failed one
 * again. Each checks the state it moves from in the same UPDATE, so two
 * commands racing cannot both win; an admin's is audited in the same
 * transaction. A job outside the caller's scope is JobNotFound, as a
 * missing one is.
 */

const unfinished = inArray(jobs.state, unfinishedStates);

/** What a cancel writes: the transition's columns, the same for one job or a batch's. */
const cancelledBy = (actor: Actor) => ({
  state: "cancelled" as const,
  cancelledAt: sql`now()`,
  cancelledBy: actor.email,
  message: "Cancelled",
  estimatedCompletionAt: null,
  retryAt: null,
  finishedAt: sql`now()`,
  updatedAt: sql`now()`,
});

export interface CommandOptions {
  /** Who asks: the cancel records their email. */
  actor: Actor;
  /** Audit the command (an admin acting on someone's job). */
  audit?: boolean;
}

/**
 * queued | running → cancelled. A queued job's graphile-worker job is
 * removed at once; a running one is told by the NOTIFY this update sends,
 * and its handler's AbortSignal fires (see worker/run-task.ts). Cancelling a
 * cancelled job returns it as it is (`changed` false); a finished one is a
 * JobStateConflict.
 */
export async function cancelJob(
  db: Database,
  scope: JobScope,
  id: string,
  options: CommandOptions,
): Promise<{ job: Job; changed: boolean }> {
  return db.transaction(async (tx) => {
    const [cancelled] = await tx
      .update(jobs)
      .set(cancelledBy(options.actor))
      .where(and(eq(jobs.id, id), ownedBy(scope), unfinished))
      .returning();
    if (cancelled) {
      await removeJob(tx, id);
      if (options.audit) await recordAudit(tx, { actor: options.actor, action: "cancel", jobIds: [id] });
      return { job: cancelled, changed: true };
    }
    const [job] = await tx
      .select()
      .from(jobs)
      .where(and(eq(jobs.id, id), ownedBy(scope)));
    if (!job) throw new JobNotFound(id);
    if (job.state === "cancelled") return { job, changed: false };
    throw new JobStateConflict(
      id,
      job.state,
      `The job has ${job.state}; only a scheduled, queued or running job can be cancelled.`,
    );
  });
}

/**
 * failed → queued: the same job runs again, its attempts counting on from
 * where they stopped, with its type's attempts allowed once more. Anything
 * but a failed, unexpired job is a JobStateConflict.
 */
export async function retryJob(db: Database, scope: JobScope, id: string, options: CommandOptions): Promise<Job> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(jobs)
      .where(and(eq(jobs.id, id), ownedBy(scope)))
      .for("update");
    if (!current) throw new JobNotFound(id);
    const jobType = findJobType(current.type);
    // An expired job has lost its result and files: it stays as it is.
    if (current.state !== "failed" || current.expiredAt || !jobType) {
      throw new JobStateConflict(
        id,
        current.state,
        current.state === "failed"
          ? "The job has expired (or its type no longer exists), so it cannot run again."
          : `The job is ${current.state}; only a failed job can be retried.`,
      );
    }
    const [job] = await tx
      .update(jobs)
      .set({
        state: "queued",
        maxAttempts: sql`${jobs.attempts} + ${jobType.maxAttempts}`,
        progress: 0,
        message: "Retry requested",
        // It queues again as a new arrival would (a retry is not held to the cap).
        priority: fairPriority(unfinishedOf(current.ownerId)),
        paused: typePaused(current.type),
        error: null,
        finishedAt: null,
        updatedAt: sql`now()`,
      })
      .where(and(eq(jobs.id, id), eq(jobs.state, "failed"), isNull(jobs.expiredAt)))
      .returning()
      .catch((error: unknown) => {
        // Another job took its concurrency key once this one failed: two with one key are never unfinished at once.
        if (!isUniqueViolation(error, "jobs_owner_concurrency_key_idx")) throw error;
        throw new JobStateConflict(
          id,
          current.state,
          `Another unfinished job of yours holds its concurrency key "${current.concurrencyKey}": retry once it has finished.`,
        );
      });
    if (!job) throw new Error(`job ${id} changed while locked`);
    const entry = addJob({
      task: jobType.type,
      jobId: sql`${job.id}::uuid`,
      maxAttempts: jobType.maxAttempts,
      attemptOffset: job.attempts,
      priority: job.priority,
    });
    await tx.execute(sql`select ${entry}`);
    if (options.audit) await recordAudit(tx, { actor: options.actor, action: "retry", jobIds: [id] });
    return job;
  });
}

/**
 * queued | running → cancelled for every unfinished job of a batch, in one
 * transaction: queued ones leave the queue, running ones are told as a
 * single cancel tells them. Finished jobs stay as they are. Returns how
 * many were cancelled (0 when all had finished).
 */
export async function cancelBatch(
  db: Database,
  scope: JobScope,
  batchId: string,
  options: CommandOptions,
): Promise<number> {
  return db.transaction(async (tx) => {
    const cancelled = await tx
      .update(jobs)
      .set(cancelledBy(options.actor))
      .where(and(eq(jobs.batchId, batchId), ownedBy(scope), unfinished))
      .returning({ id: jobs.id });
    const ids = cancelled.map((job) => job.id);
    await removeJobs(tx, ids);
    if (options.audit && ids.length > 0) {
      await recordAudit(tx, { actor: options.actor, action: "cancel-batch", jobIds: ids, detail: { batchId } });
    }
    return ids.length;
  });
}
