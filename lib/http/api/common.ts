import { z } from "zod";
import type { ZodOpenApiResponseObject } from "zod-openapi";
import { jobStatusSchema, problemSchema } from "@/lib/jobs/status-schemas";
import { MAX_SUBMIT_WAIT_S } from "../conditional";

/** Pieces the operations' OpenAPI descriptions share. */

export const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: problemSchema } },
});

export const header = (description: string, schema: z.ZodType = z.string()) => schema.meta({ description });

export const retryAfter = header("Seconds until the job is worth asking about again.", z.string().regex(/^\d+$/));
export const etag = header('The job\'s version as a weak entity tag, W/"<version>".');
export const unavailable = problem(
  "The database is unreachable; nothing was written. Retry after Retry-After seconds.",
);

export const accepted: ZodOpenApiResponseObject = {
  description: "Accepted: the job is queued. Follow Location.",
  headers: z.object({ Location: header("The status monitor."), "Retry-After": retryAfter }),
  content: { "application/json": { schema: jobStatusSchema } },
};

/** A status monitor's `?redirect`: false answers 200 with the status in every state, instead of 303 or the failure. */
export const redirectQuery = z.object({
  redirect: z
    .enum(["true", "false"])
    .default("true")
    .transform((value) => value === "true")
    .meta({
      description:
        "false: always answer 200 with the status itself, instead of 303 to the result (or a failed job's problem).",
    }),
});

export const json = (description: string, schema: z.ZodType) => ({
  description,
  content: { "application/json": { schema } },
});

export const badJsonBody = {
  "400": problem("Malformed JSON."),
  "415": problem("The body is not JSON."),
};

/** The Idempotency-Key request header of a submit; `what` is what a repeat returns ("job", "batch"). */
export const idempotencyKeyHeader = (what: string) =>
  z.object({
    "Idempotency-Key": z
      .string()
      .optional()
      .meta({
        description: `A quoted string; repeating it with the same request returns the same ${what} for 24 hours.`,
      }),
  });

/** A submit's request headers: Idempotency-Key, and Prefer: wait=N to be answered at once when it is quick. */
export const submitHeaders = (what: string) =>
  idempotencyKeyHeader(what).extend({
    Prefer: z
      .string()
      .optional()
      .meta({
        description: `wait=N (0 to ${MAX_SUBMIT_WAIT_S}, more counts as ${MAX_SUBMIT_WAIT_S}): if the ${what} finishes within N seconds, the answer is what its status URI would then say (303 to the result, or the failure's problem details), with Content-Location naming that URI; otherwise 202. Preference-Applied: wait=N either way. A malformed N is a 400 and nothing is written.`,
      }),
  });

/** 429: the submit would take its owner past their cap on unfinished jobs. */
export const overCap = (description: string) => ({
  ...problem(`${description} (see cap, unfinished); nothing was written.`),
  headers: z.object({ "Retry-After": retryAfter }),
});

/** 429: the caller already holds as many event streams, WebSockets and long polls as one user may. */
export const tooManyConnections = {
  ...problem(
    "You hold REALTIME_MAX_CONNECTIONS_PER_USER connections (event streams, WebSockets, long polls) already, or opened them faster than 10 a second after a burst that big (see cap).",
  ),
  headers: z.object({ "Retry-After": retryAfter }),
};
