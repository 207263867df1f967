import pino from "pino";
import type { Database } from "@/db/client";
import type { LogLevel } from "@/db/log-levels";
import { isDatabaseUnavailable } from "@/db/outages";
import { config } from "@/lib/config";
import { appendJobLogLines, JOB_LOG_MAX_BYTES, JOB_LOG_MAX_LINES, type NewJobLogLine } from "@/lib/jobs/logs";
import type { Logger } from "@/lib/logger";
import { logger as processLogger } from "@/lib/logger";

// Lines kept in memory while the database cannot take them, across all jobs; past it the oldest go (and say so).
const MAX_UNWRITTEN_LINES = 20_000;
// One line's message and fields are cut to these (a line is a line, not a payload).
const MAX_MESSAGE_CHARS = 8_192;
const MAX_FIELDS_CHARS = 16_384;

/**
 * The process's writer of job log lines: every attempt's lines go into one
 * buffer, written as one INSERT per PROGRESS_WRITE_INTERVAL_MS (the pace
 * progress is written at), never a statement per line. An attempt that ends
 * asks for its lines to be written before its completion is: the INSERT
 * under way finishes, then one INSERT takes every line buffered by then, for
 * every attempt that asked meanwhile (a group commit: jobs finishing side by
 * side share it). Writes run one at a time, so each job's lines land in order.
 */
export class JobLogWriter {
  private buffer: NewJobLogLine[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  // The write queued behind the one under way, not started yet: later asks join it.
  private next: Promise<void> | null = null;

  constructor(
    private readonly db: Database,
    private readonly intervalMs: number,
  ) {}

  push(line: NewJobLogLine) {
    this.buffer.push(line);
    if (this.buffer.length > MAX_UNWRITTEN_LINES) {
      const lost = this.buffer.splice(0, this.buffer.length - MAX_UNWRITTEN_LINES);
      processLogger.warn({ lines: lost.length }, "job log lines dropped: the database has not taken them for a while");
    }
    this.timer ??= setTimeout(() => void this.flush(), this.intervalMs);
  }

  /** Writes what is buffered (with whatever else is buffered when its turn comes); resolves once written, or failed. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.next ??= this.writing.then(() => {
      this.next = null;
      const lines = this.buffer;
      this.buffer = [];
      if (lines.length === 0) return;
      return appendJobLogLines(this.db, lines).catch(async (error) => {
        if (isDatabaseUnavailable(error)) {
          // Kept for the next flush: a lost connection should not cost a job its log.
          this.buffer.unshift(...lines);
          this.timer ??= setTimeout(() => void this.flush(), this.intervalMs);
          processLogger.warn({ err: error, lines: lines.length }, "job log write failed; retrying");
          return;
        }
        // A line the database refuses must not take the others with it: each alone, the bad one dropped.
        processLogger.warn({ err: error, lines: lines.length }, "job log write refused; writing its lines one by one");
        for (const line of lines) {
          await appendJobLogLines(this.db, [line]).catch((lineError) =>
            processLogger.warn({ err: lineError, jobId: line.jobId }, "a job log line was refused and dropped"),
          );
        }
      });
    });
    this.writing = this.next;
    return this.next;
  }
}

const LEVELS: Record<number, LogLevel> = { 10: "debug", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "error" };
// The bindings every line of a handler's logger carries: its job's, not the line's own fields.
const BOUND = new Set(["level", "time", "msg", "pid", "hostname", "jobId", "type", "attempt", "traceId"]);

// One stdout for every attempt's logger (as the process logger writes there).
let stdout: pino.DestinationStream | undefined;

// PostgreSQL stores no NUL, and no half of a surrogate pair, in text or jsonb.
const storable = (text: string) => text.toWellFormed().replaceAll("\0", "\ufffd");
const storableJson = (value: unknown) =>
  JSON.stringify(value, (_key, member) => (typeof member === "string" ? storable(member) : member));

/**
 * One attempt's logger, as its handler gets it: each line goes to the
 * process's log (at LOG_LEVEL) and, at every level, to the job's own log,
 * until the attempt has written JOB_LOG_MAX_LINES lines or JOB_LOG_MAX_BYTES;
 * the rest are counted, and `close` writes one line saying how many were
 * dropped, then waits until the attempt's lines are written (before its
 * completion is, so a finished job's log is whole).
 */
export function attemptLog(
  writer: JobLogWriter,
  bindings: { jobId: string; type: string; attempt: number; traceId?: string },
): { logger: Logger; close(): Promise<void> } {
  let lines = 0;
  let bytes = 0;
  let dropped = 0;
  const record = (level: LogLevel, message: string, fields: Record<string, unknown> | null, at: Date) => {
    writer.push({ jobId: bindings.jobId, attempt: bindings.attempt, at, level, message, fields });
  };
  const capture = {
    write(serialized: string) {
      const { level, time, msg, ...rest } = JSON.parse(serialized) as Record<string, unknown>;
      const message = storable(String(msg ?? "")).slice(0, MAX_MESSAGE_CHARS);
      const own = Object.fromEntries(Object.entries(rest).filter(([key]) => !BOUND.has(key)));
      let fieldsJson = Object.keys(own).length > 0 ? storableJson(own) : null;
      if (fieldsJson && fieldsJson.length > MAX_FIELDS_CHARS) fieldsJson = JSON.stringify({ truncated: true });
      const size = Buffer.byteLength(message) + (fieldsJson ? Buffer.byteLength(fieldsJson) : 0);
      if (lines >= JOB_LOG_MAX_LINES || bytes + size > JOB_LOG_MAX_BYTES) {
        dropped++;
        return;
      }
      lines++;
      bytes += size;
      const fields = fieldsJson ? (JSON.parse(fieldsJson) as Record<string, unknown>) : null;
      record(LEVELS[Number(level)] ?? "info", message, fields, new Date(Number(time) || Date.now()));
    },
  };
  const { LOG_LEVEL } = config();
  stdout ??= pino.destination({ dest: 1, sync: false });
  const streams: pino.StreamEntry[] = [{ level: "debug", stream: capture }];
  if (LOG_LEVEL !== "silent") streams.push({ level: LOG_LEVEL, stream: stdout });
  const logger = pino({ level: "debug", base: { pid: process.pid, ...bindings } }, pino.multistream(streams));
  return {
    logger,
    async close() {
      if (dropped > 0) {
        record(
          "warn",
          `${dropped} lines dropped: an attempt's log keeps ${JOB_LOG_MAX_LINES} lines and ${JOB_LOG_MAX_BYTES / 1024} KB`,
          { dropped },
          new Date(),
        );
      }
      if (lines > 0 || dropped > 0) await writer.flush();
    },
  };
}
