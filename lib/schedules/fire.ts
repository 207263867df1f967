import { eq, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { type Schedule, schedules, users } from "@/db/schema";
import { isUniqueViolation } from "@/db/unique-violations";
import { UnfinishedJobsCapReached } from "@/lib/errors";
import { createJob } from "@/lib/jobs/lifecycle";
import { findJobType } from "@/lib/jobs/registry";
import { nextFiring } from "./cron";
import { databaseNow, queueNext } from "./schedules";

/** What a firing came to, as the schedule's lastOutcome says it. */
export const firingOutcomes = [
  "created",
  "already-running",
  "over-cap",
  "invalid-input",
  "owner-banned",
  "unknown-type",
] as const;
export type FiringOutcome = (typeof firingOutcomes)[number];

/**
 * Fires a schedule for its firing due at `at`: one ordinary job (its
 * runAt the firing's time, naming the schedule), the schedule moved on to
 * its next firing, and that firing queued, in one transaction.
 *
 * Exactly once, however many workers run: the schedule's row is locked, and
 * a firing that is no longer the schedule's next (fired already, by a
 * worker that died before graphile-worker heard; or the schedule was
 * changed, paused or deleted since) does nothing. A run the jobs' unique
 * index on (schedule, runAt) says exists already is that firing's run.
 *
 * Missed firings (every worker down, or busy, past several): the one due is
 * made, late, and the next is the first after now (the database's clock),
 * so a schedule that missed a hundred firings runs once, not a hundred times.
 *
 * Returns the outcome, or null when the firing was not the schedule's to make.
 */
export async function fireSchedule(db: Database, scheduleId: string, at: Date): Promise<FiringOutcome | null> {
  return db.transaction(async (tx) => {
    const [schedule] = await tx.select().from(schedules).where(eq(schedules.id, scheduleId)).for("update");
    if (!schedule || schedule.paused || schedule.nextRunAt?.getTime() !== at.getTime()) return null;
    const { outcome, jobId } = await makeRun(tx, schedule, at);
    const now = await databaseNow(tx);
    const [updated] = await tx
      .update(schedules)
      .set({
        nextRunAt: nextFiring(schedule.cron, schedule.timezone, at > now ? at : now),
        lastFiredAt: at,
        lastJobId: jobId,
        lastOutcome: outcome,
        updatedAt: sql`now()`,
      })
      .where(eq(schedules.id, scheduleId))
      .returning();
    if (updated) await queueNext(tx, updated);
    return outcome;
  });
}

/**
 * The job of one firing, submitted as its owner would submit it: with input
 * its type still takes, under their cap (over it, this firing makes
 * nothing) and the schedule's concurrency key (an unfinished run holding it
 * is the firing's job); none for an owner an admin banned.
 */
async function makeRun(
  tx: Executor,
  schedule: Schedule,
  at: Date,
): Promise<{ outcome: FiringOutcome; jobId: string | null }> {
  const jobType = findJobType(schedule.type);
  if (!jobType || jobType.internal) return { outcome: "unknown-type", jobId: null };
  const input = jobType.input.safeParse(schedule.input);
  if (!input.success) return { outcome: "invalid-input", jobId: null };
  const [owner] = await tx.select({ banned: users.banned }).from(users).where(eq(users.id, schedule.ownerId));
  if (owner?.banned) return { outcome: "owner-banned", jobId: null };
  try {
    // A savepoint: a refused insert must not end the transaction that moves the schedule on.
    const { kind, job } = await tx.transaction((savepoint) =>
      createJob(savepoint, {
        jobType,
        input: input.data,
        ownerId: schedule.ownerId,
        runAt: at,
        scheduleId: schedule.id,
        concurrencyKey: schedule.concurrencyKey ?? undefined,
      }),
    );
    return { outcome: kind === "created" ? "created" : "already-running", jobId: job.id };
  } catch (error) {
    if (error instanceof UnfinishedJobsCapReached) return { outcome: "over-cap", jobId: null };
    if (isUniqueViolation(error, "jobs_schedule_run_at_idx")) return { outcome: "created", jobId: null };
    throw error;
  }
}
