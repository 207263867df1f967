import { z } from "zod";
import { jobStates } from "@/db/schema";

/** The HTTP API's request shapes, in one place. */

export const jobIdParams = z.object({ id: z.uuid() });

export const submitJobRequest = z.object({
  type: z.string().min(1).max(100),
  input: z.record(z.string(), z.unknown()).default({}),
});

export const listCursor = z.object({ createdAt: z.iso.datetime(), id: z.uuid() });
export type ListCursor = z.infer<typeof listCursor>;

export const jobFilters = z.object({
  // ?state=queued,running
  state: z
    .string()
    .transform((value) => value.split(",").filter(Boolean))
    .pipe(z.array(z.enum(jobStates)).min(1).max(jobStates.length))
    .optional(),
  type: z.string().min(1).max(100).optional(),
});
export type JobFilters = z.infer<typeof jobFilters>;

export const listJobsQuery = jobFilters.extend({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .max(200)
    .transform((value, ctx) => {
      try {
        return listCursor.parse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
      } catch {
        ctx.addIssue({ code: "custom", message: "Not a cursor this API issued." });
        return z.NEVER;
      }
    })
    .optional(),
});

export function encodeCursor(cursor: ListCursor): string {
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

export const attemptErrorSchema = z
  .object({ attempt: z.int(), message: z.string(), failedAt: isoTime, durationMs: z.int() })
  .meta({ id: "AttemptError" });

export const jobStatusSchema = z
  .object({
    id: z.uuid(),
    type: z.string(),
    title: z.string(),
    state: z.enum(jobStates),
    version: z.int().min(1).meta({ description: "Grows with every change; the ETag and the SSE event id." }),
    progress: z.int().min(0).max(100),
    message: z.string().nullable(),
    attempts: z.int().min(0),
    maxAttempts: z.int().min(1),
    attemptErrors: z.array(attemptErrorSchema),
    input: z.record(z.string(), z.unknown()),
    createdAt: isoTime,
    startedAt: isoTime.nullable(),
    updatedAt: isoTime,
    finishedAt: isoTime.nullable(),
    estimatedCompletionAt: isoTime.nullable(),
    retryAt: isoTime.nullable(),
    result: z
      .union([
        z.object({ kind: z.literal("json") }),
        z.object({ kind: z.literal("file"), filename: z.string(), contentType: z.string(), size: z.int() }),
      ])
      .nullable(),
    error: problemSchema.nullable(),
    cancelledAt: isoTime.nullable(),
    cancelledBy: z.string().nullable(),
    links: z.object({
      self: z.string(),
      result: z.string().optional(),
      cancel: z.string().optional(),
      retry: z.string().optional(),
    }),
  })
  .meta({ id: "JobStatus", description: "The status representation, the same in every answer that carries a job." });

export const jobListSchema = z
  .object({ items: z.array(jobStatusSchema), links: z.object({ next: z.string().nullable() }) })
  .meta({ id: "JobList" });
