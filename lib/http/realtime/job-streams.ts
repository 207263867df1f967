import type { Job } from "@/db/schema";
import { jobFeed } from "@/lib/change-feed/job-feed";
import { logFeed } from "@/lib/change-feed/log-feed";
import { changedSince, interestOf } from "@/lib/change-feed/replay";
import { getDb } from "@/lib/db";
import { readJobLog, toJobLogEntry } from "@/lib/jobs/logs";
import { inScope, type JobScope } from "@/lib/jobs/queries";
import { toJobStatus } from "@/lib/jobs/representation";
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

// A log stream reads at most this many lines at a time.
const LOG_PAGE = 500;

/** A one-job stream with its log: where the client's Last-Event-ID (`<version>.<line id>`) left off. */
export interface LogStreamResume {
  version: number;
  lineId: number;
}

/** `<version>.<line id>` (or a bare version, from a stream without logs), or null when not one of ours. */
export function logStreamResumeOf(request: Request): LogStreamResume | null {
  const match = /^(\d{1,15})(?:\.(\d{1,15}))?$/.exec(request.headers.get("last-event-id") ?? "");
  return match ? { version: Number(match[1]), lineId: Number(match[2] ?? 0) } : null;
}

/**
 * Streams one job and its log: the lines not sent yet, then its state, then
 * each new line and version as they come, closing after the final state
 * (whose attempt's lines, written before it, come first). Every event's id
 * is `<version>.<line id>`, so a reconnect resumes both.
 */
export function streamJobWithLogs(stream: SseStream, initial: Job, resume: LogStreamResume): () => void {
  const feed = jobFeed();
  let sentVersion = resume.version;
  let sentLine = resume.lineId;
  const eventId = () => `${sentVersion}.${sentLine}`;
  // Everything is sent in turn, so lines and states keep their order; a read already waiting covers later news.
  let turn: Promise<void> = Promise.resolve();
  let linesWaiting = false;
  const inTurn = (work: () => Promise<void>) => {
    turn = turn.then(work).catch(logReadError);
  };
  const sendLines = async () => {
    linesWaiting = false;
    for (;;) {
      if (stream.closed) return;
      const lines = await readJobLog(getDb(), initial.id, { after: sentLine, limit: LOG_PAGE });
      for (const line of lines.slice(0, LOG_PAGE)) {
        sentLine = line.id;
        stream.send({ id: eventId(), event: "log", data: toJobLogEntry(line) });
      }
      if (lines.length <= LOG_PAGE) return;
    }
  };
  const queueLines = () => {
    if (linesWaiting) return;
    linesWaiting = true;
    inTurn(sendLines);
  };
  const deliver = async (job: Job | null) => {
    if (!job || stream.closed) return;
    // The attempt's last lines first; if they cannot be read now, they are still in the log: the end goes regardless.
    if (isTerminal(job.state)) await sendLines().catch(logReadError);
    if (job.version > sentVersion) {
      sentVersion = job.version;
      stream.send({ id: eventId(), event: "job", data: toJobStatus(job) });
    }
    if (isTerminal(job.state)) stream.close();
  };
  const subscription = feed.subscribe(
    { jobIds: [initial.id] },
    {
      change: (change) => {
        if (change.version > sentVersion) inTurn(async () => deliver(await feed.read(change.id, change.version)));
      },
      resync: () => {
        queueLines();
        inTurn(async () => deliver(await feed.readNow(initial.id)));
      },
      shutdown: () => stream.close(),
    },
  );
  const stopLines = logFeed().watch(initial.id, {
    appended: (last) => {
      if (last > sentLine) queueLines();
    },
    resync: queueLines,
    shutdown: () => stream.close(),
  });
  queueLines();
  inTurn(() => deliver(initial));
  // A change between the route's read and our subscribe would go unheard.
  inTurn(async () => deliver(await feed.readNow(initial.id)));
  return () => {
    subscription.close();
    stopLines();
  };
}
