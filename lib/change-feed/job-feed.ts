import { eq } from "drizzle-orm";
import { persistThroughOutage } from "@/db/outages";
import { type Job, type JobState, jobs } from "@/db/schema";
import { getDb, getListener } from "@/lib/db";
import { logger } from "@/lib/logger";
import { addTo, removeFrom } from "@/lib/multimap";
import { waitUntilTold } from "./wait";

/** One change as NOTIFY job_changes carries it (an array of them): enough to route, never the state itself. */
export interface JobChange {
  id: string;
  ownerId: string | null;
  version: number;
  state: JobState;
}

export interface JobFeedListener {
  change(change: JobChange): void;
  /** The LISTEN connection came back after a loss: changes may have been missed. */
  resync(): void;
  /** The process is shutting down: finish now (streams close, long polls answer). */
  shutdown?(): void;
}

/**
 * Which changes a listener hears: those of some jobs, of one owner's jobs,
 * or of every job (an admin's all-jobs stream). A change is handed only to
 * the listeners indexed under its job, its owner or everything, so its cost
 * does not grow with subscribers that do not care about it.
 */
export interface Interest {
  jobIds?: Iterable<string>;
  ownerId?: string;
  everyJob?: boolean;
}

/** A listener's place in the indexes; its interest can grow and shrink (a WebSocket's subscribe messages). */
export interface Subscription {
  watchJob(id: string): void;
  unwatchJob(id: string): void;
  /** Hears every change of this owner's jobs, or (null) stops. */
  watchOwner(ownerId: string | null): void;
  /** Hears every change of every job, or stops. */
  watchEveryJob(on: boolean): void;
  readonly watchedJobs: number;
  close(): void;
}

const CHANNEL = "job_changes";
/** How long a change's read is retried through lost connections. */
const READ_RETRY_MS = 10_000;

/**
 * This process's one LISTEN connection, fanned out in memory to every SSE
 * stream, WebSocket and long poll. postgres.js reconnects it by itself after
 * a database restart and then calls onlisten again, which we pass on as a
 * resync so subscribers re-read what they may have missed.
 */
class JobFeed {
  private readonly byJob = new Map<string, Set<JobFeedListener>>();
  private readonly byOwner = new Map<string, Set<JobFeedListener>>();
  private readonly everyJob = new Set<JobFeedListener>();
  private readonly everyListener = new Set<JobFeedListener>();
  private listening: Promise<void> | null = null;
  private connectedOnce = false;
  // Reads of a job at a version shared by every subscriber that wants it.
  private readonly reads = new Map<string, Promise<Job | null>>();

  /** Starts listening (once per process); resolves when LISTEN is active. */
  start(): Promise<void> {
    this.listening ??= getListener()
      .listen(
        CHANNEL,
        (payload) => this.onNotify(payload),
        () => this.onListen(),
      )
      .then(
        () => undefined,
        (error) => {
          this.listening = null; // the next subscriber tries again
          throw error;
        },
      );
    return this.listening;
  }

  /** How many listeners are subscribed (the tests check that closing leaves none). */
  get subscribers(): number {
    return this.everyListener.size;
  }

  private onListen() {
    if (this.connectedOnce) {
      logger.info("job feed reconnected; subscribers re-read their jobs");
      for (const listener of [...this.everyListener]) listener.resync();
    }
    this.connectedOnce = true;
  }

  /** A statement's changes, in order: one NOTIFY carries up to 40 (db/functions/jobs.sql). */
  private onNotify(payload: string) {
    let changes: unknown;
    try {
      changes = JSON.parse(payload);
    } catch (error) {
      logger.warn({ err: error, payload }, "unreadable job_changes payload");
      return;
    }
    if (!Array.isArray(changes)) {
      logger.warn({ payload }, "job_changes payload is not a list of changes");
      return;
    }
    for (const change of changes as JobChange[]) this.deliver(change);
  }

  private deliver(change: JobChange) {
    const forJob = this.byJob.get(change.id);
    const forOwner = change.ownerId === null ? undefined : this.byOwner.get(change.ownerId);
    // A listener may be under more than one index; it hears each change once.
    const targets = new Set<JobFeedListener>(this.everyJob);
    if (forJob) for (const listener of forJob) targets.add(listener);
    if (forOwner) for (const listener of forOwner) targets.add(listener);
    for (const listener of targets) {
      try {
        listener.change(change);
      } catch (error) {
        logger.warn({ err: error }, "job feed listener failed");
      }
    }
  }

  subscribe(interest: Interest, listener: JobFeedListener): Subscription {
    const jobIds = new Set<string>();
    let ownerId: string | null = null;
    let open = true;
    this.everyListener.add(listener);
    const subscription: Subscription = {
      watchJob: (id) => {
        if (!open || jobIds.has(id)) return;
        jobIds.add(id);
        addTo(this.byJob, id, listener);
      },
      unwatchJob: (id) => {
        if (jobIds.delete(id)) removeFrom(this.byJob, id, listener);
      },
      watchOwner: (owner) => {
        if (ownerId !== null) removeFrom(this.byOwner, ownerId, listener);
        ownerId = open ? owner : null;
        if (ownerId !== null) addTo(this.byOwner, ownerId, listener);
      },
      watchEveryJob: (on) => {
        if (on && open) this.everyJob.add(listener);
        else this.everyJob.delete(listener);
      },
      get watchedJobs() {
        return jobIds.size;
      },
      close: () => {
        if (!open) return;
        open = false;
        for (const id of jobIds) removeFrom(this.byJob, id, listener);
        jobIds.clear();
        subscription.watchOwner(null);
        subscription.watchEveryJob(false);
        this.everyListener.delete(listener);
      },
    };
    for (const id of interest.jobIds ?? []) subscription.watchJob(id);
    if (interest.ownerId !== undefined) subscription.watchOwner(interest.ownerId);
    if (interest.everyJob) subscription.watchEveryJob(true);
    return subscription;
  }

  /**
   * Ends every stream and long poll of this process, so a server asked to
   * stop can drain: its open SSE responses would otherwise hold it forever.
   * Clients reconnect, to another instance if there is one.
   */
  shutdown() {
    for (const listener of [...this.everyListener]) listener.shutdown?.();
  }

  /**
   * The job as it is now, read once however many subscribers ask for the
   * same version: one query per change per process. A read cut off by a
   * dropped connection is tried again for a few seconds: a change that is
   * never read is a push its streams never send (the final state, say).
   */
  read(id: string, version: number): Promise<Job | null> {
    const key = `${id}:${version}`;
    let read = this.reads.get(key);
    if (!read) {
      read = persistThroughOutage(() => this.readNow(id), READ_RETRY_MS);
      this.reads.set(key, read);
      const forget = () => setTimeout(() => this.reads.delete(key), 1_000).unref();
      read.then(forget, forget);
    }
    return read;
  }

  /** The job as it is now, uncached: after (re)subscribing, to close any gap. */
  readNow(id: string): Promise<Job | null> {
    return getDb()
      .select()
      .from(jobs)
      .where(eq(jobs.id, id))
      .then(([job]) => job ?? null);
  }

  /**
   * Resolves true as soon as the job's version moves past `version`, false
   * when `timeoutMs` passes or `signal` aborts first.
   */
  waitForChange(id: string, version: number, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    return this.waitFor(
      { jobIds: [id] },
      (change) => change.id === id && change.version > version,
      // A change that committed between the caller's read and our subscribe
      // would otherwise be missed until the timeout.
      () =>
        getDb()
          .select({ version: jobs.version })
          .from(jobs)
          .where(eq(jobs.id, id))
          .then(([row]) => !row || row.version > version),
      timeoutMs,
      signal,
    );
  }

  /**
   * Resolves true as soon as a change of `interest` `matches` (or `changedAlready`, asked
   * once after subscribing, says one was missed), false when `timeoutMs`
   * passes or `signal` aborts first: what a long poll waits on.
   */
  async waitFor(
    interest: Interest,
    matches: (change: JobChange) => boolean,
    changedAlready: () => Promise<boolean>,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<boolean> {
    await this.start();
    return waitUntilTold(
      (tell) => {
        const subscription = this.subscribe(interest, {
          change: (change) => {
            if (matches(change)) tell(true);
          },
          resync: () => tell(true), // let the caller re-read rather than wait blind
          shutdown: () => tell(false),
        });
        return () => subscription.close();
      },
      changedAlready,
      timeoutMs,
      signal,
    );
  }
}

const holder = globalThis as typeof globalThis & { __acceptedJobFeed?: JobFeed };

/** The process-wide job feed. */
export function jobFeed(): JobFeed {
  holder.__acceptedJobFeed ??= new JobFeed();
  return holder.__acceptedJobFeed;
}
