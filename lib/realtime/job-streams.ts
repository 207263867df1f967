import { and, desc, gt } from "drizzle-orm";
import { type Job, jobs } from "@/db/schema";
import { getDb } from "@/lib/db";
import { inScope, type JobScope, jobFilterConditions } from "@/lib/jobs/queries";
import { isTerminal } from "@/lib/jobs/states";
import { logger } from "@/lib/logger";
import { type Interest, jobFeed } from "./job-feed";
import { jobChangeEvent, jobVersionEvent } from "./job-messages";
import type { SseStream } from "./sse";

// Resuming the all-jobs stream replays changes from a little before the last
// event the client saw, so a change that committed late is not skipped; at
// most the latest RESUME_LIMIT (a client further behind re-reads its list).
const RESUME_MARGIN_MS = 5_000;
const RESUME_LIMIT = 200;
// How long a replay's rows are shared with streams resuming from the same point.
const REPLAY_SHARED_MS = 1_000;

const replays = new Map<string, Promise<Job[]>>();
const replayTurns = new Map<string, Promise<unknown>>();

/**
 * The jobs of `scope` changed since `since`, newest RESUME_LIMIT, oldest
 * first. Streams resuming from the same point at about the same time share
 * one query, and one scope's replays run one after another: a user opening
 * a hundred streams with Last-Event-ID: 0 holds one database connection,
 * not the whole pool, so nobody else's requests wait on theirs.
 */
export function changedSince(scope: JobScope, since: number): Promise<Job[]> {
  const scopeKey = "ownerId" in scope ? scope.ownerId : "*";
  const key = `${scopeKey}@${since}`;
  const shared = replays.get(key);
  if (shared) return shared;
  const read = () =>
    getDb()
      .select()
      .from(jobs)
      .where(and(jobFilterConditions(scope, {}), gt(jobs.updatedAt, new Date(since - RESUME_MARGIN_MS))))
      .orderBy(desc(jobs.updatedAt))
      .limit(RESUME_LIMIT)
      .then((rows) => rows.reverse());
  const turn = (replayTurns.get(scopeKey) ?? Promise.resolve()).then(read, read);
  replays.set(key, turn);
  replayTurns.set(scopeKey, turn);
  const forget = () => {
    setTimeout(() => replays.delete(key), REPLAY_SHARED_MS).unref();
    if (replayTurns.get(scopeKey) === turn) replayTurns.delete(scopeKey);
  };
  turn.then(forget, forget);
  return turn;
}

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

/** The feed's index for a scope: one owner's jobs, or every job. */
export function interestOf(scope: JobScope): Interest {
  return "ownerId" in scope ? { ownerId: scope.ownerId } : { everyJob: true };
}

/** Last-Event-ID as a number, or null when absent or not one of ours. */
export function lastEventIdOf(request: Request): number | null {
  const raw = request.headers.get("last-event-id");
  if (raw === null || !/^\d{1,15}$/.test(raw)) return null;
  return Number(raw);
}
