import { EventEmitter } from "node:events";
import { eq } from "drizzle-orm";
import { type Job, type JobState, jobs } from "@/db/schema";
import { getDb, getListener } from "@/lib/db";
import { logger } from "@/lib/logger";

/** What NOTIFY job_changes carries: enough to route, never the state itself. */
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

const CHANNEL = "job_changes";

/**
 * This process's one LISTEN connection, fanned out in memory to every SSE
 * stream and long poll. postgres.js reconnects it by itself after a
 * database restart and then calls onlisten again, which we pass on as a
 * resync so subscribers re-read what they may have missed.
 */
class JobFeed {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
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

  private onListen() {
    if (this.connectedOnce) {
      logger.info("job feed reconnected; subscribers re-read their jobs");
      this.emitter.emit("resync");
    }
    this.connectedOnce = true;
  }

  private onNotify(payload: string) {
    try {
      this.emitter.emit("change", JSON.parse(payload) as JobChange);
    } catch (error) {
      logger.warn({ err: error, payload }, "unreadable job_changes payload");
    }
  }

  subscribe(listener: JobFeedListener): () => void {
    const change = (event: JobChange) => listener.change(event);
    const resync = () => listener.resync();
    const shutdown = () => listener.shutdown?.();
    this.emitter.on("change", change);
    this.emitter.on("resync", resync);
    this.emitter.on("shutdown", shutdown);
    return () => {
      this.emitter.off("change", change);
      this.emitter.off("resync", resync);
      this.emitter.off("shutdown", shutdown);
    };
  }

  /**
   * Ends every stream and long poll of this process, so a server asked to
   * stop can drain: its open SSE responses would otherwise hold it forever.
   * Clients reconnect, to another instance if there is one.
   */
  shutdown() {
    this.emitter.emit("shutdown");
  }

  /**
   * The job as it is now, read once however many subscribers ask for the
   * same version: one query per change per process.
   */
  read(id: string, version: number): Promise<Job | null> {
    const key = `${id}:${version}`;
    let read = this.reads.get(key);
    if (!read) {
      read = this.readNow(id);
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
   * Resolves true as soon as a change `matches` (or `changedAlready`, asked
   * once after subscribing, says one was missed), false when `timeoutMs`
   * passes or `signal` aborts first: what a long poll waits on.
   */
  async waitFor(
    matches: (change: JobChange) => boolean,
    changedAlready: () => Promise<boolean>,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<boolean> {
    await this.start();
    return new Promise((resolve) => {
      let finished = false;
      const finish = (changed: boolean) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        unsubscribe();
        signal.removeEventListener("abort", onAbort);
        resolve(changed);
      };
      const onAbort = () => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      const unsubscribe = this.subscribe({
        change: (change) => {
          if (matches(change)) finish(true);
        },
        resync: () => finish(true), // let the caller re-read rather than wait blind
        shutdown: () => finish(false),
      });
      signal.addEventListener("abort", onAbort);
      changedAlready().then(
        (changed) => {
          if (changed) finish(true);
        },
        () => finish(true),
      );
    });
  }
}

const holder = globalThis as typeof globalThis & { __acceptedJobFeed?: JobFeed };

/** The process-wide job feed. */
export function jobFeed(): JobFeed {
  holder.__acceptedJobFeed ??= new JobFeed();
  return holder.__acceptedJobFeed;
}
