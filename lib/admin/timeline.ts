import { asc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { type Job, type JobState, jobEvents } from "@/db/schema";

export interface TimelineEntry {
  at: Date;
  state: JobState;
  attempt: number;
  detail: string | null;
}

/**
 * A job's state changes, as the admin console shows them. The row tells
 * when it was queued (created_at), first started (started_at) and
 * succeeded (finished_at); job_events holds only what it cannot (retries,
 * interruptions, failures, later attempts, cancels: db/functions/jobs.sql),
 * so a job that succeeds at once costs no timeline rows. The first start
 * comes before anything stored; a success is the last thing that happens.
 */
export async function jobTimeline(db: Database, job: Job): Promise<TimelineEntry[]> {
  const stored = await db
    .select({ at: jobEvents.at, state: jobEvents.state, attempt: jobEvents.attempt, detail: jobEvents.detail })
    .from(jobEvents)
    .where(eq(jobEvents.jobId, job.id))
    .orderBy(asc(jobEvents.id));
  const entry = (at: Date, state: JobState, attempt: number): TimelineEntry => ({ at, state, attempt, detail: null });
  return [
    entry(job.createdAt, job.runAt && job.runAt > job.createdAt ? "scheduled" : "queued", 0),
    ...(job.startedAt ? [entry(job.startedAt, "running", 1)] : []),
    ...stored,
    ...(job.state === "succeeded" && job.finishedAt ? [entry(job.finishedAt, "succeeded", job.attempts)] : []),
  ];
}
