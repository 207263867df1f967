import { and, eq, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { jobs } from "@/db/schema";
import { removeJobs } from "@/lib/queue/graphile-worker";
import { unstartedStates } from "../states";

/** Who the cancel names: not a person, the submitter's own deadline. */
export const START_BY_ACTOR = "startBy";

/**
 * queued → cancelled for jobs never started by their submitter's `startBy`
 * (a retried job has started: its startBy is spent):
 * the one a worker has just fetched (`jobId`: cancelled instead of run,
 * also if its begin already wrote it running), or, for the scheduled
 * housekeeping, the queued ones whose deadline has passed (a paused type,
 * a long queue), at most `limit`. Their queue entries go too. Returns the ids.
 */
export async function cancelUnstarted(
  db: Database,
  which: { jobId: string; attempt: number } | { limit: number },
): Promise<string[]> {
  const late = and(isNotNull(jobs.startBy), lte(jobs.startBy, sql`now()`));
  const candidates =
    "jobId" in which
      ? and(
          eq(jobs.id, which.jobId),
          late,
          // Its first attempt, queued still or just begun (a type with controls starts with a write): a retry is
          // a job that started, whatever its startBy said.
          sql`${which.attempt}::int = 1 and (
            (${jobs.state} in ('scheduled', 'queued') and ${jobs.attempts} = 0) or (${jobs.state} = 'running' and ${jobs.attempts} = 1))`,
        )
      : inArray(
          jobs.id,
          db
            .select({ id: jobs.id })
            .from(jobs)
            // finished_at is null as well: jobs_start_by_idx holds exactly these.
            .where(and(inArray(jobs.state, unstartedStates), eq(jobs.attempts, 0), isNull(jobs.finishedAt), late))
            .limit(which.limit),
        );
  return db.transaction(async (tx) => {
    const cancelled = await tx
      .update(jobs)
      .set({
        state: "cancelled",
        cancelledAt: sql`now()`,
        cancelledBy: START_BY_ACTOR,
        message: sql`'Not started by ' || iso_time(${jobs.startBy}) || ', as its submitter asked: cancelled'`,
        estimatedCompletionAt: null,
        retryAt: null,
        finishedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      // Checked again as it is written: a job that started meanwhile is not cancelled.
      .where(
        "jobId" in which ? candidates : and(candidates, inArray(jobs.state, unstartedStates), eq(jobs.attempts, 0)),
      )
      .returning({ id: jobs.id });
    const ids = cancelled.map((row) => row.id);
    // The fetched job's entry is the worker's to complete; the others leave the queue here.
    if (!("jobId" in which)) await removeJobs(tx, ids);
    return ids;
  });
}
