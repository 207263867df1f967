import { and, inArray } from "drizzle-orm";
import { z } from "zod";
import { type Job, jobs } from "@/db/schema";
import { jobFeed } from "@/lib/change-feed/job-feed";
import { logFeed } from "@/lib/change-feed/log-feed";
import { changedSince, interestOf } from "@/lib/change-feed/replay";
import { getDb } from "@/lib/db";
import { readJobLog, toJobLogEntry } from "@/lib/jobs/logs";
import { inScope, type JobScope, ownedBy } from "@/lib/jobs/queries";
import { isTerminal } from "@/lib/jobs/states";
import { logger } from "@/lib/logger";
import { jobSocketMessage } from "./messages";
import { type Message, Outbox } from "./outbox";

/**
 * The WebSocket protocol at /api/events (documented in the README), apart
 * from the socket itself (websocket.ts). JSON text messages.
 *
 * Server → client: `ready` once authenticated; `job` with a job's status
 * representation (its `version` orders them) each time one changes;
 * `not-found` for a subscribed id the caller may not see; `error` for a
 * message it could not use.
 *
 * Client → server: nothing, to hear every change of the caller's own jobs
 * (every job's, for an admin who asked for `?scope=all`); `resume` with the
 * time (`since`, ms) of the last change it saw, to hear first what changed
 * since; `subscribe` with `{id: version}` (0 when it has none) to hear only
 * those jobs from then on, each at once if it has moved past the version
 * given (with `logs`, their logs' lines too, as `log` messages, each
 * `{jobId, line}`, from the first or after the line id given); `unsubscribe`
 * with ids.
 */

export const CLOSE_CODES = {
  goingAway: 1001,
  tryAgainLater: 1013,
  badRequest: 4400,
  unauthenticated: 4401,
  forbidden: 4403,
  tooSlow: 4408,
  tooManyConnections: 4429,
  tooManyMessages: 1008,
} as const;

export const MAX_SUBSCRIPTIONS = 1_000;
/**
 * What a socket may ask of the server: each message costs 1 plus the job ids
 * it names, from a budget as deep as one full subscription, refilled at
 * `WEBSOCKET_IDS_PER_SECOND`. A subscription answers each unknown id, so
 * without it one socket sending subscriptions of 1,000 made-up ids in a loop
 * had the server reply 300,000 times and slowed every other user.
 */
const MESSAGE_BUDGET = MAX_SUBSCRIPTIONS + 1;
// A long-lived all-jobs socket remembers the versions it sent of at most this many jobs.
const REMEMBERED_VERSIONS = 10_000;
// A followed log is read at most this many lines at a time.
const LOG_PAGE = 500;

const clientMessage = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("subscribe"),
      jobs: z
        .record(z.uuid(), z.number().int().min(0))
        .refine((jobs) => Object.keys(jobs).length <= MAX_SUBSCRIPTIONS, `at most ${MAX_SUBSCRIPTIONS} jobs`),
      // Their logs too: true from the first line, or per job the id of the last line the client has.
      logs: z.union([z.literal(true), z.record(z.uuid(), z.number().int().min(0))]).optional(),
    })
    .strict(),
  z.object({ type: z.literal("unsubscribe"), jobs: z.array(z.uuid()).max(MAX_SUBSCRIPTIONS) }).strict(),
  z.object({ type: z.literal("resume"), since: z.number().int().min(0).max(8.64e15) }).strict(),
]);

type ClientMessage = z.infer<typeof clientMessage>;

/** What the protocol needs of a socket. */
export interface SocketPeer {
  /** Sends a text message (a Buffer holds UTF-8 text, encoded once for many sockets). */
  send(text: Message): void;
  /** Bytes sent that the client has not read yet. */
  buffered(): number;
  close(code: number, reason: string): void;
}

export interface JobSocketOptions {
  /** The jobs heard without subscribing: the caller's own, or (an admin's `?scope=all`) everyone's. */
  streamScope: JobScope;
  /** The jobs the caller may subscribe to by id: their own, or any for an admin. */
  accessScope: JobScope;
  /** A read-only job token's socket: it hears this job from the start, and no other. */
  onlyJob?: string;
  /** How fast the message budget refills (see MESSAGE_BUDGET). */
  idsPerSecond: number;
}

/**
 * The cost of a message against the socket's budget, from its JSON before
 * any validation (which costs the server in proportion to the ids named, a
 * valid message or not): 1, plus the members of its `jobs`.
 */
function costOf(message: unknown): number {
  const jobs = (message as { jobs?: unknown } | null)?.jobs;
  if (Array.isArray(jobs)) return 1 + jobs.length;
  if (jobs && typeof jobs === "object") return 1 + Object.keys(jobs).length;
  return 1;
}

// What a message the server cannot use is told: the first issue only, so that a bad message's answer stays small.
function firstIssue(error: unknown): string {
  if (!(error instanceof z.ZodError)) return "Messages are JSON objects with a type.";
  const [issue] = error.issues;
  return issue ? `${issue.path.slice(0, 2).join(".") || "message"}: ${issue.message}` : "Not a message.";
}

const logFailure = (error: unknown) => logger.warn({ err: error }, "job read for a WebSocket failed");

/** Serves one socket; returns what to do with each message it receives, and the end (when the socket closes). */
export function serveJobSocket(
  peer: SocketPeer,
  { streamScope, accessScope, onlyJob, idsPerSecond }: JobSocketOptions,
) {
  const feed = jobFeed();
  const budget = { left: MESSAGE_BUDGET, at: performance.now() };
  const spend = (cost: number) => {
    const now = performance.now();
    budget.left = Math.min(MESSAGE_BUDGET, budget.left + ((now - budget.at) / 1000) * idsPerSecond);
    budget.at = now;
    budget.left -= cost;
    return budget.left >= 0;
  };
  const sent = new Map<string, number>();
  const allowed = (id: string) => onlyJob === undefined || id === onlyJob;
  let lastChangeAt = Date.now();
  // A job token's socket is subscribed to its job from the start.
  let subscribed = onlyJob !== undefined;
  let ended = false;
  const outbox = new Outbox({
    write: (text) => peer.send(text),
    buffered: () => peer.buffered(),
    overflow: () => peer.close(CLOSE_CODES.tooSlow, "too far behind: reconnect and resume"),
  });
  const reply = (message: object) => outbox.send(JSON.stringify(message));

  // The jobs whose logs the socket follows, and the last line sent of each.
  const logs = new Map<string, { sent: number; waiting: boolean; stop: () => void }>();
  let logTurn: Promise<void> = Promise.resolve();
  const sendLines = async (id: string) => {
    const followed = logs.get(id);
    if (!followed) return;
    followed.waiting = false;
    for (;;) {
      const lines = await readJobLog(getDb(), id, { after: followed.sent, limit: LOG_PAGE });
      if (ended || logs.get(id) !== followed) return;
      for (const line of lines.slice(0, LOG_PAGE)) {
        followed.sent = line.id;
        reply({ type: "log", jobId: id, line: toJobLogEntry(line) });
      }
      if (lines.length <= LOG_PAGE) return;
    }
  };
  const queueLines = (id: string) => {
    const followed = logs.get(id);
    if (!followed || followed.waiting) return;
    followed.waiting = true;
    logTurn = logTurn.then(() => sendLines(id)).catch(logFailure);
  };
  const followLog = (id: string, after: number) => {
    if (ended || logs.has(id)) return;
    const followed = { sent: after, waiting: false, stop: () => {} };
    logs.set(id, followed);
    followed.stop = logFeed().watch(id, {
      appended: (last) => {
        if (last > followed.sent) queueLines(id);
      },
      resync: () => queueLines(id),
    });
    queueLines(id);
  };
  const unfollowLog = (id: string) => {
    logs.get(id)?.stop();
    logs.delete(id);
  };

  const deliver = (job: Job | null) => {
    if (!job || ended || !inScope(accessScope, job.ownerId) || !allowed(job.id)) return;
    if ((sent.get(job.id) ?? 0) >= job.version) return;
    // A followed log's last lines (written before the job finished) go before its final state.
    if (logs.has(job.id) && isTerminal(job.state)) {
      const id = job.id;
      logTurn = logTurn
        .then(() => sendLines(id))
        // Lines that cannot be read now are still in the log: the final state goes regardless.
        .catch(logFailure)
        .then(() => sendJob(job));
      return;
    }
    sendJob(job);
  };
  const sendJob = (job: Job) => {
    if (ended || (sent.get(job.id) ?? 0) >= job.version) return;
    sent.delete(job.id);
    sent.set(job.id, job.version);
    if (sent.size > REMEMBERED_VERSIONS) sent.delete(sent.keys().next().value as string);
    lastChangeAt = Math.max(lastChangeAt, job.updatedAt.getTime());
    outbox.send(jobSocketMessage(job), job.id);
  };
  const replay = (since: number) => changedSince(streamScope, since).then((rows) => rows.forEach(deliver), logFailure);
  const readAll = (ids: string[]) =>
    ids.length === 0
      ? Promise.resolve([])
      : getDb()
          .select()
          .from(jobs)
          .where(and(inArray(jobs.id, ids), ownedBy(accessScope)));

  const subscription = feed.subscribe(onlyJob === undefined ? interestOf(streamScope) : { jobIds: [] }, {
    change: (change) => feed.read(change.id, change.version).then(deliver, logFailure),
    resync: () => {
      if (!subscribed) void replay(lastChangeAt);
      else readAll([...sent.keys()]).then((rows) => rows.forEach(deliver), logFailure);
    },
    shutdown: () => peer.close(CLOSE_CODES.goingAway, "server stopping: reconnect"),
  });

  async function subscribe(versions: Record<string, number>, withLogs?: true | Record<string, number>) {
    if (!subscribed) {
      // From the first subscription on, the socket hears only the jobs it names.
      subscribed = true;
      subscription.watchOwner(null);
      subscription.watchEveryJob(false);
      sent.clear();
    }
    const ids = Object.keys(versions).filter((id) => {
      if (!allowed(id)) reply({ type: "not-found", id });
      return allowed(id);
    });
    if (subscription.watchedJobs + ids.length > MAX_SUBSCRIPTIONS) {
      reply({ type: "error", detail: `A socket may follow at most ${MAX_SUBSCRIPTIONS} jobs.` });
      return;
    }
    // Watch first, then read: a change between the two is heard either way.
    for (const id of ids) {
      subscription.watchJob(id);
      sent.set(id, Math.max(sent.get(id) ?? 0, versions[id] ?? 0));
    }
    const rows = await readAll(ids);
    const found = new Set(rows.map((row) => row.id));
    for (const id of ids) {
      if (found.has(id)) continue;
      subscription.unwatchJob(id);
      sent.delete(id);
      reply({ type: "not-found", id });
    }
    if (withLogs && !ended) {
      await logFeed().start();
      for (const id of found)
        if (withLogs === true || id in withLogs) followLog(id, withLogs === true ? 0 : (withLogs[id] ?? 0));
    }
    rows.forEach(deliver);
  }

  function handle(message: ClientMessage) {
    if (message.type === "subscribe") return subscribe(message.jobs, message.logs);
    if (message.type === "unsubscribe") {
      for (const id of message.jobs) {
        subscription.unwatchJob(id);
        sent.delete(id);
        unfollowLog(id);
      }
      return;
    }
    if (subscribed)
      reply({ type: "error", detail: "resume is for the stream of all your jobs; subscribe with versions instead." });
    else return replay(message.since);
  }

  function overspent() {
    ended = true;
    peer.close(CLOSE_CODES.tooManyMessages, `too many messages: at most ${idsPerSecond} job ids a second`);
  }

  reply({ type: "ready", scope: onlyJob !== undefined ? "job" : "ownerId" in streamScope ? "own" : "all" });
  let inTurn: Promise<unknown> =
    onlyJob === undefined ? Promise.resolve() : subscribe({ [onlyJob]: 0 }).catch(logFailure);

  return {
    receive(text: string) {
      if (ended) return;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
      if (!spend(costOf(json))) return overspent();
      const parsed = clientMessage.safeParse(json);
      if (!parsed.success) {
        reply({ type: "error", detail: firstIssue(json === null ? null : parsed.error) });
        return;
      }
      const message = parsed.data;
      // One message at a time: a client sending subscriptions in a loop holds one query, not hundreds.
      inTurn = inTurn.then(() => handle(message)).catch(logFailure);
    },
    end() {
      ended = true;
      outbox.close();
      subscription.close();
      for (const id of [...logs.keys()]) unfollowLog(id);
    },
  };
}
