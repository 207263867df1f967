import { z } from "zod";
import { logLevels } from "@/db/log-levels";
import { adminCursor, adminJobFilters, adminSorts, jobFilters, listCursor, storableTime } from "@/lib/jobs/filters";
import { jobLogLineSchema, jobStatusSchema } from "@/lib/jobs/status-schemas";
import { jobSpec } from "@/lib/jobs/submit-checks";
import { isStorableText } from "@/lib/storable-text";

/** The HTTP API's request shapes (strict: a misspelt field is a 422 naming it, never silently dropped) and its own responses. */

export const jobIdParams = z.object({ id: z.uuid() });

/** How far ahead a job may be scheduled (runAt) or given a startBy. */
export const MAX_AHEAD_MS = 366 * 86_400_000;

/**
 * When a job may start: an instant (RFC 3339, with its offset), or a delay
 * in seconds from when the server receives it (no clock of the client's to
 * trust). runAtOf turns either into the instant.
 */
export const runAtField = z
  .union([
    storableTime(z.iso.datetime({ offset: true }))
      .refine((value) => Date.parse(value) > Date.now(), { message: "runAt has passed already." })
      .refine((value) => Date.parse(value) <= Date.now() + MAX_AHEAD_MS, {
        message: "runAt is more than a year away.",
      }),
    z
      .number()
      .positive()
      .max(MAX_AHEAD_MS / 1000, { message: "runAt is more than a year away." }),
  ])
  .meta({
    description:
      "Not before this: an instant (with its offset), or a delay in seconds. The job is `scheduled` until then, up to a year ahead; it holds a place in your cap of unfinished jobs meanwhile.",
  });
/** runAt as the submit takes it: an instant, or a delay counted when the job is written. */
export const runAtOf = (value: string | number) =>
  typeof value === "number" ? { inSeconds: value } : new Date(Date.parse(value));
const runAtMs = (value: string | number) => (typeof value === "number" ? Date.now() + value * 1000 : Date.parse(value));

export const concurrencyKeyField = z.string().min(1).max(200).meta({
  description:
    "While a job of yours with this key is unfinished, submitting again answers 200 with that job rather than making another.",
});

export const submitJobRequest = jobSpec
  .extend({
    notifyWhenDone: z
      .boolean()
      .default(false)
      .meta({ description: "Email the submitter (with a link to the job) when it succeeds, fails or is cancelled." }),
    startBy: storableTime(z.iso.datetime({ offset: true }))
      .refine((value) => Date.parse(value) > Date.now(), { message: "startBy has passed already." })
      .refine((value) => Date.parse(value) < Date.now() + MAX_AHEAD_MS, {
        message: "startBy is more than a year away.",
      })
      .optional()
      .meta({ description: "Not started by then (a paused type, a long queue), it is cancelled instead, saying why." }),
    runAt: runAtField.optional(),
    concurrencyKey: concurrencyKeyField.optional(),
  })
  .refine((request) => !request.startBy || !request.runAt || Date.parse(request.startBy) > runAtMs(request.runAt), {
    message: "startBy comes before runAt: the job could never start.",
    path: ["startBy"],
  });
export type SubmitJobRequest = z.infer<typeof submitJobRequest>;

/** The most jobs one batch may hold. */
export const MAX_BATCH_SIZE = 1_000;
export const batchItemRequest = jobSpec.extend({ runAt: runAtField.optional() });
export const submitBatchRequest = z.strictObject({
  jobs: z.array(batchItemRequest).min(1).max(MAX_BATCH_SIZE),
});

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

export const listJobsQuery = jobFilters.extend({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursorParam(listCursor).optional(),
});

export const adminListJobsQuery = adminJobFilters.extend({
  sort: z.enum(adminSorts).default("created-desc"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorParam(adminCursor).optional(),
});

/** An admin's change to a job type's queue control: pause or resume, and its concurrency limit (null: none). */
export const typeControlChange = z
  .strictObject({
    paused: z.boolean().optional(),
    concurrencyLimit: z.int().min(1).max(1_000).nullable().optional(),
    timeoutMs: z
      .int()
      .min(1_000)
      .max(24 * 3_600_000)
      .nullable()
      .optional()
      .meta({ description: "An attempt's time limit in ms (1 s to 24 h); null: the type's own." }),
  })
  .refine((change) => Object.values(change).some((value) => value !== undefined), {
    message: "Name paused, concurrencyLimit or timeoutMs.",
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

export const ownerUsageSchema = z
  .object({
    unfinished: z.int().meta({ description: "Scheduled, queued and running jobs." }),
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
    timeoutMs: z.int().meta({ description: "How long one attempt may run (an admin's limit, or the type's own)." }),
    customTimeout: z.boolean().meta({ description: "Whether an admin set timeoutMs." }),
  })
  .meta({ id: "JobTypeQueue" });

export const jobListSchema = z
  .object({ items: z.array(jobStatusSchema), links: z.object({ next: z.string().nullable() }) })
  .meta({ id: "JobList" });

export const jobLogQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1_000).default(200),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, "A line's id, as links.next gives it.")
    .transform(Number)
    .optional()
    .meta({ description: "Lines after this one (links.next carries it)." }),
  level: z.enum(logLevels).optional().meta({ description: "This level and the more severe ones." }),
  attempt: z.coerce.number().int().min(1).max(1_000_000).optional(),
});

export const jobLogPageSchema = z
  .object({ items: z.array(jobLogLineSchema), links: z.object({ next: z.string().nullable() }) })
  .meta({ id: "JobLogPage" });
