import { jobFeed } from "@/lib/change-feed/job-feed";
import { type Batch, isBatchFinished, toBatchStatus } from "@/lib/jobs/batch-status";
import { logger } from "@/lib/logger";
import type { SseStream } from "./sse";

// A change to any of a batch's jobs means its counts may have moved, so it is read again, at most every
// REREAD_MS (a thousand jobs can change at once).
const REREAD_MS = 200;

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
