import type { Job } from "@/db/schema";

const QUEUED_RETRY_AFTER_S = 1;
// A paused job waits for an admin: no point asking every second.
const PAUSED_RETRY_AFTER_S = 10;
const UNKNOWN_RATE_RETRY_AFTER_S = 2;
const MAX_RETRY_AFTER_S = 30;
// Ask clients to look about this many times over the time a job has left,
// so a bar advances in steps of a few percent whatever the job's length.
const POLLS_PER_REMAINING_TIME = 10;

/**
 * The Retry-After hint (whole seconds) for a job that is still in progress,
 * from its progress rate where known; undefined once the job has finished.
 */
export function retryAfterSeconds(
  job: Pick<Job, "state" | "estimatedCompletionAt" | "retryAt" | "paused" | "runAt">,
  now: Date,
): number | undefined {
  // Nothing happens to it before its runAt: that is when to look.
  if (job.state === "scheduled") return job.runAt ? untilRunAt(job.runAt, now) : QUEUED_RETRY_AFTER_S;
  if (job.state === "queued") {
    // Waiting out a retry's backoff: nothing changes before it ends.
    if (job.retryAt) return clamp(Math.ceil((job.retryAt.getTime() - now.getTime()) / 1000));
    return job.paused ? PAUSED_RETRY_AFTER_S : QUEUED_RETRY_AFTER_S;
  }
  if (job.state !== "running") return undefined;
  if (!job.estimatedCompletionAt) return UNKNOWN_RATE_RETRY_AFTER_S;
  const remainingS = (job.estimatedCompletionAt.getTime() - now.getTime()) / 1000;
  return clamp(Math.ceil(remainingS / POLLS_PER_REMAINING_TIME));
}

const clamp = (seconds: number) => Math.min(MAX_RETRY_AFTER_S, Math.max(1, seconds));

// A client told to come back in a month would sleep through a cancel, and past about 24.8 days a JavaScript timer
// fires at once: a day at most.
const MAX_SCHEDULED_RETRY_AFTER_S = 86_400;

/** Until a scheduled job's runAt, in whole seconds (1 s to a day): nothing happens to it before. */
const untilRunAt = (runAt: Date, now: Date) =>
  Math.min(MAX_SCHEDULED_RETRY_AFTER_S, Math.max(1, Math.ceil((runAt.getTime() - now.getTime()) / 1000)));

/**
 * The Retry-After hint for a batch still in progress: about a tenth of its
 * estimated time left (1–30 s), 1 s before anything is known, 10 s while
 * every job it has waiting is paused; undefined once every job has finished.
 */
export function batchRetryAfterSeconds(
  batch: {
    unfinished: number;
    queued: number;
    scheduled: number;
    paused: number;
    eta: Date | null;
    soonestRunAt: Date | null;
  },
  now: Date,
): number | undefined {
  if (batch.unfinished === 0) return undefined;
  // Every unfinished job is scheduled: nothing happens before the first runAt.
  if (batch.scheduled === batch.unfinished && batch.soonestRunAt) return untilRunAt(batch.soonestRunAt, now);
  if (batch.queued > 0 && batch.paused === batch.unfinished) return PAUSED_RETRY_AFTER_S;
  if (!batch.eta) return QUEUED_RETRY_AFTER_S;
  return clamp(Math.ceil((batch.eta.getTime() - now.getTime()) / 1000 / POLLS_PER_REMAINING_TIME));
}
