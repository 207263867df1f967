import { z } from "zod";
import { jobStates } from "@/db/job-states";
import { isStorableText } from "@/lib/storable-text";

/** The HTTP API's request shapes, in one place. */

export const jobIdParams = z.object({ id: z.uuid() });

// Strict, like every request shape here: a misspelt field is a 422 naming it, never silently dropped.
/** A job to run: its type and input (alone, or one of a batch's). */
export const jobSpec = z.strictObject({
  type: z.string().min(1).max(100),
  input: z.record(z.string(), z.unknown()).default({}),
});
export type JobSpec = z.infer<typeof jobSpec>;

export const submitJobRequest = jobSpec.extend({
  notifyWhenDone: z
    .boolean()
    .default(false)
    .meta({ description: "Email the submitter (with a link to the job) when it succeeds, fails or is cancelled." }),
});
export type SubmitJobRequest = z.infer<typeof submitJobRequest>;

/** The most jobs one batch may hold. */
export const MAX_BATCH_SIZE = 1_000;
export const submitBatchRequest = z.strictObject({
  jobs: z.array(jobSpec).min(1).max(MAX_BATCH_SIZE),
});

/**
 * An ISO 8601 time PostgreSQL can store. The format allows years 0000 to
 * 9999; PostgreSQL has no year 0 (JavaScript's year 0 is 1 BC).
 */
const storableTime = (time: z.ZodISODateTime) =>
  time.refine((value) => new Date(value).getUTCFullYear() >= 1, { message: "Years start at 0001." });

export const listCursor = z.object({ createdAt: storableTime(z.iso.datetime()), id: z.uuid() });
export type ListCursor = z.infer<typeof listCursor>;

/** A cursor parameter: opaque base64url JSON that the API issued, checked against `shape`. */
function cursorParam<T extends z.ZodType>(shape: T) {
  return z
    .string()
    .max(300)
    .transform((value, ctx): z.output<T> => {
      try {
        return shape.parse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
      } catch {
        ctx.addIssue({ code: "custom", message: "Not a cursor this API issued." });
        return z.NEVER;
      }
    });
}

export const jobFilters = z.object({
  // ?state=queued,running
  state: z
    .string()
    .transform((value) => value.split(",").filter(Boolean))
    .pipe(z.array(z.enum(jobStates)).min(1).max(jobStates.length))
    .optional(),
  type: z.string().min(1).max(100).optional(),
  batch: z
    .union([z.literal("none"), z.uuid()])
    .optional()
    .meta({ description: "A batch's id: only its jobs; `none`: only jobs submitted alone." }),
});
export type JobFilters = z.infer<typeof jobFilters>;

export const listJobsQuery = jobFilters.extend({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursorParam(listCursor).optional(),
});

/** The admin console's filters: the list's, plus owner, time range and a search inside input and error JSON. */
export const adminJobFilters = jobFilters.extend({
  owner: z.string().trim().min(1).max(320).optional().meta({ description: "A user's email or id." }),
  from: storableTime(z.iso.datetime({ offset: true }))
    .optional()
    .meta({ description: "Created at or after." }),
  to: storableTime(z.iso.datetime({ offset: true }))
    .optional()
    .meta({ description: "Created before." }),
  q: z.string().trim().min(1).max(200).optional().meta({ description: "Words to find in the input or error JSON." }),
});
export type AdminJobFilters = z.infer<typeof adminJobFilters>;

export const adminSorts = ["created-desc", "created-asc", "updated-desc"] as const;
export type AdminSort = (typeof adminSorts)[number];

export const adminCursor = z.object({ at: storableTime(z.iso.datetime()), id: z.uuid() });
export type AdminCursor = z.infer<typeof adminCursor>;

export const adminListJobsQuery = adminJobFilters.extend({
  sort: z.enum(adminSorts).default("created-desc"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorParam(adminCursor).optional(),
});

/** The filter as the list's query parameters took it, so a bulk action can name "everything matching". */
const adminFilterParams = z.strictObject({
  ...adminJobFilters.shape,
  // Validated as the list takes it, but kept as written ("failed,cancelled").
  state: z
    .string()
    .max(200)
    .refine((value) => jobFilters.shape.state.safeParse(value).success, { message: "Not a list of job states." })
    .optional(),
});

const bulkActionFields = {
  action: z.enum(["retry", "cancel"]),
  jobIds: z.array(z.uuid()).min(1).max(1000).optional(),
  filter: adminFilterParams.optional(),
};
const eitherIdsOrFilter = [
  (body: { jobIds?: unknown; filter?: unknown }) => (body.jobIds === undefined) !== (body.filter === undefined),
  { message: "Name either jobIds or filter, not both and not neither." },
] as const;

export const bulkActionRequest = z.strictObject(bulkActionFields).refine(...eitherIdsOrFilter);

/** A bulk action as its job's input: the request, and the admin who made it (set by the route, never a client). */
export const bulkActionInput = z
  .strictObject({
    ...bulkActionFields,
    actor: z.strictObject({ id: z.string(), email: z.string(), address: z.string().optional() }),
  })
  .refine(...eitherIdsOrFilter);
export type BulkActionRequest = z.infer<typeof bulkActionRequest>;

/** An admin's change to a job type's queue control: pause or resume, and its concurrency limit (null: none). */
export const typeControlChange = z
  .strictObject({
    paused: z.boolean().optional(),
    concurrencyLimit: z.int().min(1).max(1_000).nullable().optional(),
  })
  .refine((change) => change.paused !== undefined || change.concurrencyLimit !== undefined, {
    message: "Name paused, concurrencyLimit, or both.",
  });
// A path segment PostgreSQL could not store (a NUL) names nothing: the route answers 404.
const pathSegment = z.string().min(1).max(100).refine(isStorableText);
export const jobTypeParams = z.object({ type: pathSegment });

/** An admin's cap for one user's unfinished jobs; null returns them to MAX_UNFINISHED_JOBS_PER_USER. */
export const jobCapChange = z.strictObject({ maxUnfinishedJobs: z.int().min(0).max(1_000_000).nullable() });
export const userIdParams = z.object({ id: pathSegment });

export function encodeCursor(cursor: unknown): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

/** The response shapes, for the OpenAPI document and for checking real responses against it. */

export const problemSchema = z
  .object({
    type: z.string().meta({ description: "A URI reference under /problems/ naming the kind of problem." }),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
  })
  .catchall(z.unknown())
  .meta({ id: "Problem", description: "RFC 9457 problem details; some problems add members (jobId, state, errors…)." });

const isoTime = z.iso.datetime({ offset: true });

export const ownerUsageSchema = z
  .object({
    unfinished: z.int().meta({ description: "Queued and running jobs." }),
    cap: z.int().meta({ description: "The most unfinished jobs at once; past it a submit is a 429." }),
    customCap: z.boolean().meta({ description: "Whether an admin set this cap rather than the default." }),
  })
  .meta({ id: "UnfinishedJobs" });

export const typeQueueSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    queued: z.int(),
    running: z.int(),
    paused: z.boolean(),
    concurrencyLimit: z.int().nullable().meta({ description: "Most of its jobs running at once, across all workers." }),
  })
  .meta({ id: "JobTypeQueue" });

export const attemptErrorSchema = z
  .object({ attempt: z.int(), message: z.string(), failedAt: isoTime, durationMs: z.int() })
  .meta({ id: "AttemptError" });

export const jobStatusSchema = z
  .object({
    id: z.uuid(),
    type: z.string(),
    title: z.string(),
    state: z.enum(jobStates),
    paused: z.boolean().meta({
      description: "Queued and waiting because an admin paused its type; it starts once the type is resumed.",
    }),
    version: z.int().min(1).meta({ description: "Grows with every change; the ETag and the SSE event id." }),
    progress: z.int().min(0).max(100),
    message: z.string().nullable(),
    attempts: z.int().min(0),
    maxAttempts: z.int().min(1),
    attemptErrors: z.array(attemptErrorSchema),
    input: z.record(z.string(), z.unknown()),
    batchId: z.uuid().nullable().meta({ description: "The batch it was submitted in, if any." }),
    notifyWhenDone: z.boolean().meta({ description: "Its submitter is emailed when it finishes." }),
    createdAt: isoTime,
    startedAt: isoTime.nullable(),
    updatedAt: isoTime,
    finishedAt: isoTime.nullable(),
    estimatedCompletionAt: isoTime.nullable(),
    retryAt: isoTime.nullable(),
    result: z
      .union([
        z.object({ kind: z.literal("none") }).meta({ description: "Success is the whole answer: no result resource." }),
        z.object({ kind: z.literal("json") }),
        z.object({ kind: z.literal("file"), filename: z.string(), contentType: z.string(), size: z.int() }),
      ])
      .nullable(),
    error: problemSchema.nullable(),
    cancelledAt: isoTime.nullable(),
    cancelledBy: z.string().nullable(),
    expiresAt: isoTime.nullable().meta({ description: "When a finished job and its result stop being kept." }),
    expiredAt: isoTime
      .nullable()
      .meta({ description: "Set once expired: the result is deleted and the status URI answers 410." }),
    links: z.object({
      self: z.string(),
      batch: z.string().optional(),
      result: z.string().optional(),
      cancel: z.string().optional(),
      retry: z.string().optional(),
    }),
  })
  .meta({ id: "JobStatus", description: "The status representation, the same in every answer that carries a job." });

export const jobListSchema = z
  .object({ items: z.array(jobStatusSchema), links: z.object({ next: z.string().nullable() }) })
  .meta({ id: "JobList" });

const stateCounts = z.object(
  Object.fromEntries(jobStates.map((state) => [state, z.int().min(0)])) as Record<(typeof jobStates)[number], z.ZodInt>,
);

export const batchStatusSchema = z
  .object({
    id: z.uuid(),
    state: z.enum(["queued", "running", "finished"]).meta({
      description: "queued: no job has started; finished: every job has succeeded, failed or been cancelled.",
    }),
    size: z.int().min(1),
    counts: stateCounts,
    paused: z.int().min(0).meta({ description: "Queued jobs waiting because an admin paused their type." }),
    progress: z.int().min(0).max(100).meta({ description: "Finished jobs count 100, the others their own progress." }),
    version: z
      .int()
      .min(0)
      .meta({ description: "Grows with every change to any of its jobs; the ETag and the SSE id." }),
    createdAt: isoTime,
    finishedAt: isoTime.nullable(),
    estimatedCompletionAt: isoTime.nullable(),
    links: z.object({
      self: z.string(),
      jobs: z.string().meta({ description: "Its jobs, as the job list (GET /api/jobs?batch=<id>)." }),
      result: z.string().optional(),
      cancel: z.string().optional(),
    }),
  })
  .meta({ id: "BatchStatus", description: "A batch's status: its jobs counted by state." });

export const batchResultSchema = z
  .object({
    id: z.uuid(),
    size: z.int(),
    counts: stateCounts,
    items: z.array(
      z.object({
        id: z.uuid(),
        type: z.string(),
        state: z.enum(jobStates),
        error: problemSchema.nullable(),
        links: z.object({ self: z.string(), result: z.string().optional() }),
      }),
    ),
  })
  .meta({ id: "BatchResult", description: "Each job's final state and its result link, in the order they were sent." });
