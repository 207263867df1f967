import type { Database } from "@/db/client";
import { batchedCalls } from "@/lib/batched-calls";
import {
  beginAttempts,
  type Completion,
  completeJob,
  completeJobs,
  type DeferredStart,
  type StartOutcome,
  type StartRequest,
  writeDeferredStarts,
} from "@/lib/jobs/lifecycle";

// Jobs that run side by side start and finish within moments of each other;
// the starts (or completions) that arrive while one statement is being
// written go together in the next, saving a commit each. At most this many.
const MAX_BATCH = 100;

export interface AttemptWrites {
  /** Reads the job and starts its attempt, or lets it run deferred (lib/jobs/lifecycle/start.ts). */
  begin(jobId: string, attempt: number): Promise<StartOutcome>;
  /** Writes a deferred attempt's start: it has run longer than a moment. Whether its row says running now. */
  writeStart(start: DeferredStart): Promise<boolean>;
  complete(completion: Completion): Promise<{ id: string } | null>;
}

/**
 * The worker's hot writes, batched as group commits (WORKER_BATCH_WRITES;
 * off, each is written on its own). Every guarantee of the single
 * statements holds per row (lib/jobs/lifecycle): a batch is the same
 * statement with more rows. A file result is written on its own, in its own transaction.
 */
export function attemptWrites(db: Database, batched: boolean): AttemptWrites {
  const writeStart = async (start: DeferredStart) => (await writeDeferredStarts(db, [start])).length > 0;
  if (!batched) {
    return {
      begin: async (jobId, attempt) => {
        const [outcome] = await beginAttempts(db, [{ jobId, attempt }]);
        if (!outcome) throw new Error("beginAttempts answered nothing");
        return outcome;
      },
      writeStart,
      complete: (completion) => completeJob(db, completion),
    };
  }
  const options = { maxSize: MAX_BATCH };
  const begin = batchedCalls((requests: StartRequest[]) => beginAttempts(db, requests), options);
  const complete = batchedCalls(
    (completions: Parameters<typeof completeJobs>[1]) => completeJobs(db, completions),
    options,
  );
  return {
    begin: (jobId, attempt) => begin({ jobId, attempt }),
    writeStart,
    complete: (completion) => {
      const { output } = completion;
      return output.kind === "file" ? completeJob(db, completion) : complete({ ...completion, output });
    },
  };
}
