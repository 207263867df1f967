import { and, eq, gt } from "drizzle-orm";
import { jobLogs } from "@/db/schema";
import { getDb, getListener } from "@/lib/db";
import { logger } from "@/lib/logger";
import { addTo, removeFrom } from "@/lib/multimap";
import { waitUntilTold } from "./wait";

/** One job's new lines as NOTIFY job_logs carries them (an array of these): the id of its last line. */
export interface LogAppend {
  id: string;
  last: number;
}

export interface LogListener {
  /** Lines up to `last` were written: read those after the last one sent. */
  appended(last: number): void;
  /** The LISTEN connection came back after a loss: lines may have been missed. */
  resync(): void;
  /** The process is shutting down. */
  shutdown?(): void;
}

const CHANNEL = "job_logs";

/**
 * Jobs' own logs as they are written: the second channel of this process's
 * LISTEN connection (the first is the job feed's), indexed by job only,
 * since a log is followed one job at a time. Only those who asked for a
 * job's log (SSE with ?logs=true, a socket's "logs": true, a long poll on a
 * log cursor) are ever told.
 */
class LogFeed {
  private readonly byJob = new Map<string, Set<LogListener>>();
  private readonly everyListener = new Set<LogListener>();
  private listening: Promise<void> | null = null;
  private connectedOnce = false;

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
          this.listening = null;
          throw error;
        },
      );
    return this.listening;
  }

  private onListen() {
    if (this.connectedOnce) for (const listener of [...this.everyListener]) listener.resync();
    this.connectedOnce = true;
  }

  private onNotify(payload: string) {
    let appends: LogAppend[];
    try {
      appends = JSON.parse(payload) as LogAppend[];
    } catch (error) {
      logger.warn({ err: error, payload }, "unreadable job_logs payload");
      return;
    }
    if (!Array.isArray(appends)) return;
    for (const append of appends) {
      for (const listener of this.byJob.get(append.id) ?? []) {
        try {
          listener.appended(append.last);
        } catch (error) {
          logger.warn({ err: error }, "log feed listener failed");
        }
      }
    }
  }

  /** Hears `jobId`'s new lines until the returned function is called. */
  watch(jobId: string, listener: LogListener): () => void {
    addTo(this.byJob, jobId, listener);
    this.everyListener.add(listener);
    return () => {
      removeFrom(this.byJob, jobId, listener);
      this.everyListener.delete(listener);
    };
  }

  shutdown() {
    for (const listener of [...this.everyListener]) listener.shutdown?.();
  }

  /**
   * Resolves true as soon as `jobId` has a line after `after` (also one
   * written between the caller's read and this subscribe), false when
   * `timeoutMs` passes or `signal` aborts first: what a long poll on a log
   * cursor waits on.
   */
  async waitForLines(jobId: string, after: number, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    await this.start();
    return waitUntilTold(
      (tell) =>
        this.watch(jobId, {
          appended: (last) => {
            if (last > after) tell(true);
          },
          resync: () => tell(true),
          shutdown: () => tell(false),
        }),
      async () => {
        const rows = await getDb()
          .select({ id: jobLogs.id })
          .from(jobLogs)
          .where(and(eq(jobLogs.jobId, jobId), gt(jobLogs.id, after)))
          .limit(1);
        return rows.length > 0;
      },
      timeoutMs,
      signal,
    );
  }
}

const holder = globalThis as typeof globalThis & { __acceptedLogFeed?: LogFeed };

/** The process-wide feed of jobs' log lines. */
export function logFeed(): LogFeed {
  holder.__acceptedLogFeed ??= new LogFeed();
  return holder.__acceptedLogFeed;
}
