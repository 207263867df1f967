import type { z } from "zod";
import type { Database } from "@/db/client";
import type { InputSchema, JobOutput, JobType, ResultKind } from "@/lib/jobs/define";
import type { Logger } from "@/lib/logger";

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
  /** Aborts when the job is cancelled or the worker shuts down; long handlers should pass it on. */
  signal: AbortSignal;
  logger: Logger;
  db: Database;
}

/** A job type's declaration with the code that runs it: the worker's half of a job type. */
export interface JobHandler<Schema extends InputSchema = InputSchema, Kind extends ResultKind = ResultKind> {
  jobType: JobType<Schema, Kind>;
  run(context: JobContext<z.output<Schema>>): Promise<JobOutput<Kind>>;
}

/** Attaches the code that runs a job type; its input and return type follow from the declaration. */
export function defineHandler<Schema extends InputSchema, Kind extends ResultKind>(
  jobType: JobType<Schema, Kind>,
  run: (context: JobContext<z.output<Schema>>) => Promise<JobOutput<Kind>>,
): JobHandler<Schema, Kind> {
  return { jobType, run };
}
