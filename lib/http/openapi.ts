import { z } from "zod";
import { createDocument, type ZodOpenApiResponseObject } from "zod-openapi";
import { submittableJobTypes } from "@/lib/jobs/registry";
import { jobIdParams, jobListSchema, jobStatusSchema, listJobsQuery, problemSchema } from "@/lib/jobs/schemas";
import { MAX_WAIT_S } from "./conditional";

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: problemSchema } },
});
const header = (description: string, schema: z.ZodType = z.string()) => schema.meta({ description });
const retryAfter = header("Seconds until the job is worth asking about again.", z.string().regex(/^\d+$/));
const etag = header('The job\'s version as a weak entity tag, W/"<version>".');
const unavailable = problem("The database is unreachable; nothing was written. Retry after Retry-After seconds.");
const accepted: ZodOpenApiResponseObject = {
  description: "Accepted: the job is queued. Follow Location.",
  headers: z.object({ Location: header("The status monitor."), "Retry-After": retryAfter }),
  content: { "application/json": { schema: jobStatusSchema } },
};

const RESULT_KINDS = {
  none: "none; success is a 200 on the status URI.",
  json: "JSON, at the result URI (303 from the status URI).",
  file: "a file, at the result URI (303 from the status URI).",
} as const;

// One request body per job type, each with its own input schema.
const submitBody = z.union(
  submittableJobTypes.map((jobType) =>
    z.object({ type: z.literal(jobType.type), input: jobType.input }).meta({
      title: jobType.title,
      description: `${jobType.description} Result: ${RESULT_KINDS[jobType.result]}`,
    }),
  ) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]],
);

const byId = { path: jobIdParams };

// Written out in the generated document's own terms: Problem is a component there.
const unauthenticatedResponse = {
  description: "No session cookie or API token, or a revoked token.",
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
};

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate
 * requests. Every operation needs a session cookie or an API token, so each
 * is given the 401 answer here rather than in every entry below.
 */
export function openApiDocument() {
  const document = describeApi();
  for (const path of Object.values(document.paths ?? {})) {
    for (const method of ["get", "post", "delete"] as const) {
      const responses = path?.[method]?.responses;
      if (responses) responses["401"] ??= unauthenticatedResponse;
    }
  }
  return document;
}

function describeApi() {
  return createDocument({
    openapi: "3.1.0",
    security: [{ apiToken: [] }, { session: [] }],
    components: {
      securitySchemes: {
        apiToken: {
          type: "http",
          scheme: "bearer",
          description: "An API token (acc_…) made at /settings/tokens or POST /api/auth/api-key/create.",
        },
        session: { type: "apiKey", in: "cookie", name: "better-auth.session_token", description: "A browser session." },
      },
    },
    info: {
      title: "Accepted",
      version: "0.1.0",
      description:
        "Long operations over HTTP with the asynchronous request-reply pattern: 202 Accepted, a status monitor, 303 See Other to the result.",
    },
    paths: {
      "/api/jobs": {
        post: {
          summary: "Submit a job",
          requestParams: {
            header: z.object({
              "Idempotency-Key": z.string().optional().meta({
                description: "A quoted string; repeating it with the same request returns the same job for 24 hours.",
              }),
            }),
          },
          requestBody: { content: { "application/json": { schema: submitBody } } },
          responses: {
            "202": accepted,
            "400": problem("Malformed JSON, or a malformed Idempotency-Key."),
            "413": problem("The body is over 64 KiB."),
            "415": problem("The body is not JSON."),
            "422": problem("Unknown type, input failing the type's schema (see errors), or a reused Idempotency-Key."),
            "503": unavailable,
          },
        },
        get: {
          summary: "List your jobs, newest first",
          requestParams: { query: listJobsQuery },
          responses: {
            "200": {
              description: "A page of jobs; links.next (and a Link header) leads to the next page.",
              headers: z.object({ "Retry-After": retryAfter.optional(), Link: header('<…>; rel="next"').optional() }),
              content: { "application/json": { schema: jobListSchema } },
            },
            "422": problem("A bad state, limit or cursor."),
            "503": unavailable,
          },
        },
      },
      "/api/jobs/{id}": {
        get: {
          summary: "The status monitor",
          requestParams: {
            ...byId,
            query: z.object({
              redirect: z.enum(["false"]).optional().meta({
                description: "false: answer 200 with the status in every state, instead of 303 or the failure.",
              }),
            }),
            header: z.object({
              "If-None-Match": z
                .string()
                .optional()
                .meta({ description: 'W/"<version>" you have: 304 while unchanged.' }),
              Prefer: z
                .string()
                .optional()
                .meta({ description: `wait=N (at most ${MAX_WAIT_S}): with If-None-Match, a long poll.` }),
            }),
          },
          responses: {
            "200": {
              description:
                "Queued or running; succeeded with no result resource (result.kind none); any state with ?redirect=false.",
              headers: z.object({ ETag: etag, "Retry-After": retryAfter.optional() }),
              content: { "application/json": { schema: jobStatusSchema } },
            },
            "303": {
              description: "Succeeded: the result is at Location.",
              headers: z.object({ Location: header("The result resource."), ETag: etag }),
              content: { "application/json": { schema: jobStatusSchema } },
            },
            "304": { description: "Unchanged since the version in If-None-Match.", headers: z.object({ ETag: etag }) },
            "404": problem("No such job (or not yours)."),
            "410": problem(
              "The job expired: its result is deleted (see expiredAt). ?redirect=false still answers 200.",
            ),
            "422": problem("The job failed and cannot succeed with its input: problem details with jobId and state."),
            "500": problem("The job failed: problem details with jobId, state, attempts and attemptErrors."),
            "503": unavailable,
          },
        },
        delete: {
          summary: "Cancel the job",
          requestParams: byId,
          responses: {
            "200": {
              description: "Cancelled (also when it already was).",
              content: { "application/json": { schema: jobStatusSchema } },
            },
            "404": problem("No such job."),
            "409": problem("The job has finished."),
          },
        },
      },
      "/api/jobs/{id}/retry": {
        post: {
          summary: "Run a failed job again",
          requestParams: byId,
          responses: { "202": accepted, "404": problem("No such job."), "409": problem("The job has not failed.") },
        },
      },
      "/api/jobs/{id}/result": {
        get: {
          summary: "The result of a succeeded job",
          requestParams: byId,
          responses: {
            "200": { description: "JSON, or a file with its Content-Type and Content-Disposition." },
            "404": problem("No such job, or a job type whose result is its effect (result.kind none)."),
            "410": problem("The job expired and its result was deleted."),
            "409": problem("The job has not succeeded (yet)."),
          },
        },
      },
      "/api/jobs/{id}/events": {
        get: {
          summary: "Server-Sent Events for one job",
          requestParams: { ...byId, header: z.object({ "Last-Event-ID": z.string().optional() }) },
          responses: {
            "200": {
              description: "event: job, id: the version, data: a JobStatus; closes after the final state.",
              content: { "text/event-stream": { schema: z.string() } },
            },
            "404": problem("No such job."),
          },
        },
      },
      "/api/events": {
        get: {
          summary: "Server-Sent Events for all your jobs",
          requestParams: {
            header: z.object({ "Last-Event-ID": z.string().optional() }),
            query: z.object({
              scope: z.enum(["own", "all"]).optional().meta({ description: "all: every job (admins only)." }),
            }),
          },
          responses: {
            "200": {
              description: "event: job, id: the change's time in ms, data: a JobStatus.",
              content: { "text/event-stream": { schema: z.string() } },
            },
          },
        },
      },
    },
  });
}
