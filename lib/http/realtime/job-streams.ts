import type { Job } from "@/db/schema";
import { jobFeed } from "@/lib/change-feed/job-feed";
import { changedSince, interestOf } from "@/lib/change-feed/replay";
import { inScope, type JobScope } from "@/lib/jobs/queries";
import { isTerminal } from "@/lib/jobs/states";
import { logger } from "@/lib/logger";
import { jobChangeEvent, jobVersionEvent } from "./messages";
import type { SseStream } from "./sse";

const logReadError = (error: unknown) => logger.warn({ err: error }, "job read for a stream failed");

/**
 * Streams one job: its current state at once (unless the client's
 * Last-Event-ID shows it has it), then every newer version, closing after
 * the final state. Event ids are the job's versions.
 */
export function streamJob(stream: SseStream, initial: Job, lastEventId: number): () => void {
  const feed = jobFeed();
  let sent = lastEventId;
  const deliver = (job: Job | null) => {
    if (!job || stream.closed) return;
    if (job.version > sent) {
      sent = job.version;
      stream.send({ prepared: jobVersionEvent(job), key: job.id });
    }
    if (isTerminal(job.state)) stream.close();
  };
  const subscription = feed.subscribe(
    { jobIds: [initial.id] },
    {
      change: (change) => {
        if (change.version > sent) feed.read(change.id, change.version).then(deliver, logReadError);
      },
      resync: () => feed.readNow(initial.id).then(deliver, logReadError),
      shutdown: () => stream.close(),
    },
  );
  deliver(initial);
  // A change between the route's read and our subscribe would go unheard.
  if (!stream.closed) feed.readNow(initial.id).then(deliver, logReadError);
  return () => subscription.close();
}

/**
 * Streams every job the caller may see as it changes. Event ids are the
 * change's time (ms); with Last-Event-ID the stream first replays what
 * changed since then.
 */
export function streamJobs(stream: SseStream, scope: JobScope, lastEventId: number | null): () => void {
  const feed = jobFeed();
  const sentVersions = new Map<string, number>();
  let lastSentAt = lastEventId ?? Date.now();

  const deliver = (job: Job | null) => {
    if (!job || stream.closed || !inScope(scope, job.ownerId)) return;
    if ((sentVersions.get(job.id) ?? 0) >= job.version) return;
    sentVersions.set(job.id, job.version);
    lastSentAt = Math.max(lastSentAt, job.updatedAt.getTime());
    stream.send({ prepared: jobChangeEvent(job), key: job.id });
  };
  const replaySince = (since: number) => changedSince(scope, since).then((rows) => rows.forEach(deliver), logReadError);

  const subscription = feed.subscribe(interestOf(scope), {
    change: (change) => feed.read(change.id, change.version).then(deliver, logReadError),
    resync: () => void replaySince(lastSentAt),
    shutdown: () => stream.close(),
  });
  if (lastEventId !== null) void replaySince(lastEventId);
  return () => subscription.close();
}

/** Last-Event-ID as a number, or null when absent or not one of ours. */
export function lastEventIdOf(request: Request): number | null {
  const raw = request.headers.get("last-event-id");
  if (raw === null || !/^\d{1,15}$/.test(raw)) return null;
  return Number(raw);
}
