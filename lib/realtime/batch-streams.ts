import { eq } from "drizzle-orm";
import { jobs } from "@/db/schema";
import { getDb } from "@/lib/db";
import { type Batch, isBatchFinished, toBatchStatus } from "@/lib/jobs/batch-status";
import { logger } from "@/lib/logger";
import { jobFeed } from "./job-feed";
import type { SseStream } from "./sse";

/**
 * A batch is followed through its jobs' changes on the job feed: a change
 * to any of them means the batch's counts may have moved, so it is read
 * again (at most every REREAD_MS, since a thousand jobs can change at once).
 */
const REREAD_MS = 200;

/** The ids of a batch's jobs: what its streams and long polls listen for. */
export async function batchJobIds(batchId: string): Promise<Set<string>> {
  const rows = await getDb().select({ id: jobs.id }).from(jobs).where(eq(jobs.batchId, batchId));
  return new Set(rows.map((row) => row.id));
}

/** Resolves true as soon as any of the batch's jobs changes after `version` was read; false after the timeout. */
export function waitForBatchChange(
  jobIds: Set<string>,
  reread: () => Promise<Batch | null>,
  version: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<boolean> {
  return jobFeed().waitFor(
    { jobIds },
    () => true,
    async () => ((await reread())?.version ?? version + 1) > version,
    timeoutMs,
    signal,
  );
}

/**
 * Streams a batch's status: at once (unless Last-Event-ID shows the client
 * has this version), then whenever it moves, closing once every job has
 * finished. Event ids are the batch's versions.
 */
export function streamBatch(
  stream: SseStream,
  initial: Batch,
  jobIds: Set<string>,
  reread: () => Promise<Batch | null>,
  lastEventId: number,
): () => void {
  let sent = lastEventId;
  let pending: NodeJS.Timeout | null = null;
  const deliver = (batch: Batch | null) => {
    if (!batch || stream.closed) return;
    if (batch.version > sent) {
      sent = batch.version;
      stream.send({ id: String(batch.version), event: "batch", data: toBatchStatus(batch), key: batch.id });
    }
    if (isBatchFinished(batch)) stream.close();
  };
  const readSoon = () => {
    pending ??= setTimeout(() => {
      pending = null;
      reread().then(deliver, (error) => logger.warn({ err: error }, "batch read for a stream failed"));
    }, REREAD_MS);
  };
  const subscription = jobFeed().subscribe(
    { jobIds },
    { change: readSoon, resync: readSoon, shutdown: () => stream.close() },
  );
  deliver(initial);
  // A change between the route's read and our subscribe would go unheard.
  if (!stream.closed) readSoon();
  return () => {
    if (pending) clearTimeout(pending);
    subscription.close();
  };
}
