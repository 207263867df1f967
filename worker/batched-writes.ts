import type { Database } from "@/db/client";
import { batchedCalls } from "@/lib/batched-calls";
import type { JobOutput } from "@/lib/jobs/define";
import { completeJob, completeJobs, type StartOutcome, startAttempt, startAttempts } from "@/lib/jobs/lifecycle";

// Jobs that run side by side start and finish within moments of each other;
// the starts (or completions) that arrive while one statement is being
// written go together in the next, saving a commit each. At most this many.
const MAX_BATCH = 100;

export interface AttemptWrites {
  start(jobId: string, attempt: number): Promise<StartOutcome>;
  complete(jobId: string, attempt: number, output: JobOutput, finalMessage?: string): Promise<{ id: string } | null>;
}

/**
 * The worker's hot writes, batched as group commits (WORKER_BATCH_WRITES;
 * off, each is written on its own). Every guarantee of the single
 * statements holds per row (lib/jobs/lifecycle): a batch is the same UPDATE
 * with more rows. A file result is written on its own, in its own transaction.
 */
export function attemptWrites(db: Database, batched: boolean): AttemptWrites {
  if (!batched) {
    return {
      start: (jobId, attempt) => startAttempt(db, jobId, attempt),
      complete: (jobId, attempt, output, finalMessage) => completeJob(db, jobId, attempt, output, finalMessage),
    };
  }
  const options = { maxSize: MAX_BATCH };
  const start = batchedCalls((requests: { jobId: string; attempt: number }[]) => startAttempts(db, requests), options);
  const complete = batchedCalls(
    (completions: Parameters<typeof completeJobs>[1]) => completeJobs(db, completions),
    options,
  );
  return {
    start: (jobId, attempt) => start({ jobId, attempt }),
    complete: (jobId, attempt, output, finalMessage) =>
      output.kind === "file"
        ? completeJob(db, jobId, attempt, output, finalMessage)
        : complete({ jobId, attempt, output, finalMessage }),
  };
}
