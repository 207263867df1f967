import type { z } from "zod";
import type { InputIssue } from "@/lib/errors";

/**
 * A job type is two halves. The declaration (this file's JobType) says what
 * the type is: its name, its input schema, what success produces, how often
 * it is tried, how long it is kept. Web and worker both read it, so it lives
 * in lib/jobs/types/ and imports no handler code. The handler, attached on
 * the worker's side only (worker/handlers/), does the work.
 */

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

/** What a submit-time check can see besides the input: the uploads its upload fields name, by field. */
export interface InputCheckContext {
  uploads: Record<string, { columns: string[] }>;
}

/** Inputs are JSON objects, so a form can be built from them. */
export type InputSchema = z.ZodType<Record<string, unknown>>;

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
  /**
   * How long one attempt may run: past it the handler's signal aborts and
   * the attempt fails as timed out (and is retried by the usual rules). An
   * admin may set another per type (job_type_controls.timeout_ms).
   */
  timeoutMs: number;
  /** Days a finished job and its result are kept; JOB_RETENTION_DAYS (7) when unset. */
  retentionDays?: number;
  /**
   * Started by Accepted itself (an admin's bulk action), never by a client:
   * not offered in the start form, refused by POST /api/jobs.
   */
  internal?: boolean;
  /**
   * Checks the schema cannot make, run at submit after it: issues (with
   * paths inside the input) make a 422 and no job. Uploads are loaded first.
   */
  checkInput?(input: z.output<Schema>, context: InputCheckContext): InputIssue[];
}

/** Declares a job type; the generics carry its schema and result kind to the handler that implements it. */
export function declareJobType<Schema extends InputSchema, Kind extends ResultKind>(
  declaration: JobType<Schema, Kind>,
): JobType<Schema, Kind> {
  return declaration;
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
