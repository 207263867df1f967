import type { z } from "zod";
import type { Database } from "@/db/client";
import type { Logger } from "@/lib/logger";

/**
 * What a handler hands back: nothing (the effect was the point: an email
 * sent), inline JSON, or a file the client downloads.
 */
interface OutputByKind {
  none: { kind: "none" };
  json: { kind: "json"; value: unknown };
  file: { kind: "file"; filename: string; contentType: string; content: Buffer };
}

export type ResultKind = keyof OutputByKind;
export type JobOutput<Kind extends ResultKind = ResultKind> = OutputByKind[Kind];

export interface JobContext<Input> {
  jobId: string;
  /** Whose job this is; handlers that read data scope it to this owner (null: a job from before users existed). */
  ownerId: string | null;
  input: Input;
  /** 1 on the first run; graphile-worker counts retries for us. */
  attempt: number;
  maxAttempts: number;
  /** Records progress (0–100) and a message; writes are throttled, so call it as often as you like. */
  progress(percent: number, message?: string): void;
  /** Aborts when the worker shuts down; long handlers should pass it on. */
  signal: AbortSignal;
  logger: Logger;
  db: Database;
}

/** Inputs are JSON objects, so a form can be built from them. */
type InputSchema = z.ZodType<Record<string, unknown>>;

export interface JobType<Schema extends InputSchema = InputSchema, Kind extends ResultKind = ResultKind> {
  /** The name clients send as `type`, and graphile-worker's task identifier. */
  type: string;
  title: string;
  description: string;
  /** Validates `input` at submit time and drives the dashboard's start form. */
  input: Schema;
  /**
   * What success produces: "none" (the effect is the result: success is
   * reported on the status URI), "json" or "file" (the status URI redirects
   * to /result). The handler's return type follows from it.
   */
  result: Kind;
  maxAttempts: number;
  /** Days a finished job and its result are kept; JOB_RETENTION_DAYS (7) when unset. */
  retentionDays?: number;
  /**
   * Started by Accepted itself (an admin's bulk action), never by a client:
   * not offered in the start form, refused by POST /api/jobs.
   */
  internal?: boolean;
  run(context: JobContext<z.output<Schema>>): Promise<JobOutput<Kind>>;
}

/** Declares a job type; the generics tie the handler's input to its schema and its output to its result kind. */
export function defineJobType<Schema extends InputSchema, Kind extends ResultKind>(
  definition: JobType<Schema, Kind>,
): JobType<Schema, Kind> {
  return definition;
}

/**
 * Thrown by a handler for a failure that retrying cannot fix (bad data, a
 * missing resource): the job fails at once with this problem's status.
 */
export class PermanentJobFailure extends Error {
  constructor(
    message: string,
    readonly status = 422,
  ) {
    super(message);
    this.name = "PermanentJobFailure";
  }
}
