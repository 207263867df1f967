import { and, asc, gt } from "drizzle-orm";
import { type Job, jobs } from "@/db/schema";
import { getDb } from "@/lib/db";
import { inScope, type JobScope, jobFilterConditions } from "@/lib/jobs/queries";
import { toJobStatus } from "@/lib/jobs/representation";
import { isTerminal } from "@/lib/jobs/states";
import { logger } from "@/lib/logger";
import { jobFeed } from "./job-feed";
import type { SseStream } from "./sse";

// Resuming the all-jobs stream replays changes from a little before the last
// event the client saw, so a change that committed late is not skipped.
const RESUME_MARGIN_MS = 5_000;
const RESUME_LIMIT = 500;

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
      stream.send({ id: String(job.version), event: "job", data: toJobStatus(job) });
    }
    if (isTerminal(job.state)) stream.close();
  };
  const unsubscribe = feed.subscribe({
    change: (change) => {
      if (change.id === initial.id && change.version > sent)
        feed.read(change.id, change.version).then(deliver, logReadError);
    },
    resync: () => feed.readNow(initial.id).then(deliver, logReadError),
    shutdown: () => stream.close(),
  });
  deliver(initial);
  // A change between the route's read and our subscribe would go unheard.
  if (!stream.closed) feed.readNow(initial.id).then(deliver, logReadError);
  return unsubscribe;
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
    stream.send({ id: String(job.updatedAt.getTime()), event: "job", data: toJobStatus(job) });
  };
  const replaySince = (since: number) =>
    getDb()
      .select()
      .from(jobs)
      .where(and(jobFilterConditions(scope, {}), gt(jobs.updatedAt, new Date(since - RESUME_MARGIN_MS))))
      .orderBy(asc(jobs.updatedAt))
      .limit(RESUME_LIMIT)
      .then((rows) => rows.forEach(deliver), logReadError);

  const unsubscribe = feed.subscribe({
    change: (change) => {
      if (inScope(scope, change.ownerId)) feed.read(change.id, change.version).then(deliver, logReadError);
    },
    resync: () => void replaySince(lastSentAt),
    shutdown: () => stream.close(),
  });
  if (lastEventId !== null) void replaySince(lastEventId);
  return unsubscribe;
}

/** Last-Event-ID as a number, or null when absent or not one of ours. */
export function lastEventIdOf(request: Request): number | null {
  const raw = request.headers.get("last-event-id");
  if (raw === null || !/^\d{1,15}$/.test(raw)) return null;
  return Number(raw);
}
