import { and, asc, desc, eq, gt, inArray, type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Database, Executor } from "@/db/client";
import { type LogLevel, logLevels } from "@/db/log-levels";
import { type JobLogLine, jobLogs } from "@/db/schema";
import type { jobLogLineSchema } from "./status-schemas";

/**
 * A job's own log: what its handler's logger said, kept with the job. The
 * worker writes a process's lines in one statement per flush
 * (worker/job-log.ts); the API, its streams and sockets read them here.
 */

/** At most this many lines and bytes (messages and fields, as JSON) per attempt; past them, one marker says how many were dropped. */
export const JOB_LOG_MAX_LINES = 1_000;
export const JOB_LOG_MAX_BYTES = 256 * 1024;

/** A line about to be written. */
export interface NewJobLogLine {
  jobId: string;
  attempt: number;
  at: Date;
  level: LogLevel;
  message: string;
  fields: Record<string, unknown> | null;
}

/** Writes lines of any number of jobs in one statement (its trigger sends one NOTIFY job_logs). */
export async function appendJobLogLines(db: Executor, lines: NewJobLogLine[]): Promise<void> {
  if (lines.length === 0) return;
  // Sent as arrays of text (postgres.js serializes those whatever types the connection has seen), cast here.
  await db.execute(sql`
    insert into ${jobLogs} (job_id, attempt, at, level, message, fields)
    select * from unnest(
      ${sql.param(lines.map((line) => line.jobId))}::uuid[],
      ${sql.param(lines.map((line) => line.attempt))}::int[],
      ${sql.param(lines.map((line) => line.at.toISOString()))}::text[]::timestamptz[],
      ${sql.param(lines.map((line) => line.level))}::text[]::log_level[],
      ${sql.param(lines.map((line) => line.message))}::text[],
      ${sql.param(lines.map((line) => (line.fields ? JSON.stringify(line.fields) : null)))}::text[]::jsonb[])`);
}

export interface JobLogQuery {
  /** Lines after this one (the cursor: a line's id). */
  after?: number;
  limit: number;
  /** This level and the more severe ones. */
  level?: LogLevel;
  attempt?: number;
}

/** The levels at `level` or above. */
export const levelsFrom = (level: LogLevel): LogLevel[] => logLevels.slice(logLevels.indexOf(level));

/** A job's lines, oldest first, as the query narrows them; one more than `limit` tells the caller there are more. */
export function readJobLog(db: Database, jobId: string, query: JobLogQuery): Promise<JobLogLine[]> {
  const conditions: (SQL | undefined)[] = [
    eq(jobLogs.jobId, jobId),
    query.after === undefined ? undefined : gt(jobLogs.id, query.after),
    query.level && query.level !== "debug" ? inArray(jobLogs.level, levelsFrom(query.level)) : undefined,
    query.attempt === undefined ? undefined : eq(jobLogs.attempt, query.attempt),
  ];
  return db
    .select()
    .from(jobLogs)
    .where(and(...conditions))
    .orderBy(asc(jobLogs.id))
    .limit(query.limit + 1);
}

/** The id of a job's newest line, or null. */
export async function newestJobLogLine(db: Database, jobId: string): Promise<number | null> {
  const [row] = await db
    .select({ id: jobLogs.id })
    .from(jobLogs)
    .where(eq(jobLogs.jobId, jobId))
    .orderBy(desc(jobLogs.id))
    .limit(1);
  return row?.id ?? null;
}

/** Forgets the logs of jobs that expired (their result went; so do their lines). */
export async function deleteJobLogs(db: Executor, jobIds: string[]): Promise<void> {
  if (jobIds.length > 0) await db.delete(jobLogs).where(inArray(jobLogs.jobId, jobIds));
}

/** A line as every transport carries it (jobLogLineSchema). */
export type JobLogEntry = z.infer<typeof jobLogLineSchema>;

export function toJobLogEntry(line: JobLogLine): JobLogEntry {
  return {
    id: line.id,
    at: line.at.toISOString(),
    level: line.level,
    message: line.message,
    fields: line.fields ?? null,
    attempt: line.attempt,
  };
}
