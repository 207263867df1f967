import { z } from "zod";
import { JOB_TOKEN_DEFAULT_TTL_S, JOB_TOKEN_MAX_TTL_S } from "@/lib/auth/job-token";
import { submittableJobTypes } from "@/lib/jobs/registry";
import { jobStatusSchema } from "@/lib/jobs/status-schemas";
import { MAX_WAIT_S } from "../conditional";
import { operation } from "../route";
import {
  accepted,
  badJsonBody,
  etag,
  header,
  json,
  overCap,
  problem,
  redirectQuery,
  retryAfter,
  submitHeaders,
  tooManyConnections,
  unavailable,
} from "./common";
import { jobIdParams, jobListSchema, jobLogPageSchema, jobLogQuery, listJobsQuery, submitJobRequest } from "./schemas";

const RESULT_KINDS = {
  none: "none; success is a 200 on the status URI.",
  json: "JSON, at the result URI (303 from the status URI).",
  file: "a file, at the result URI (303 from the status URI).",
} as const;

// One request body per job type, each with its own input schema.
const submitBody = z.union(
  submittableJobTypes.map((jobType) =>
    z
      .object({
        type: z.literal(jobType.type),
        input: jobType.input,
        notifyWhenDone: submitJobRequest.shape.notifyWhenDone,
        startBy: submitJobRequest.shape.startBy,
        runAt: submitJobRequest.shape.runAt,
        concurrencyKey: submitJobRequest.shape.concurrencyKey,
      })
      .meta({
        title: jobType.title,
        description: `${jobType.description} Result: ${RESULT_KINDS[jobType.result]}`,
      }),
  ) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]],
);

export const submitJob = operation({
  method: "POST",
  path: "/api/jobs",
  access: "user",
  doc: {
    summary: "Submit a job",
    requestParams: { header: submitHeaders("job") },
    requestBody: { content: { "application/json": { schema: submitBody } } },
    responses: {
      "202": accepted,
      "200": {
        description:
          "An unfinished job of yours holds this concurrencyKey: that job, not a new one (or, after Prefer: wait, a job that finished with no result resource).",
        headers: z.object({ Location: header("The job's status monitor."), "Retry-After": retryAfter.optional() }),
        content: { "application/json": { schema: jobStatusSchema } },
      },
      "303": {
        description: "With Prefer: wait=N, the job succeeded within N seconds: the result is at Location.",
        headers: z.object({
          Location: header("The result resource."),
          "Content-Location": header("The job's status monitor."),
          "Preference-Applied": header("wait=N"),
        }),
        content: { "application/json": { schema: jobStatusSchema } },
      },
      ...badJsonBody,
      "400": problem("Malformed JSON, a malformed Idempotency-Key, or a Prefer: wait that is not whole seconds."),
      "500": problem(
        "With Prefer: wait=N, the job failed within N seconds: its problem details, as its status URI answers.",
      ),
      "413": problem("The body is over 64 KiB."),
      "422": problem("Unknown type, input failing the type's schema (see errors), or a reused Idempotency-Key."),
      "429": overCap("You have as many unfinished jobs as your cap allows"),
      "503": unavailable,
    },
  },
});

export const listJobs = operation({
  method: "GET",
  path: "/api/jobs",
  access: "user",
  query: listJobsQuery,
  doc: {
    summary: "List your jobs, newest first",
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
});

export const getJob = operation({
  method: "GET",
  path: "/api/jobs/{id}",
  access: "user",
  jobToken: true,
  params: jobIdParams,
  query: redirectQuery,
  doc: {
    summary: "The status monitor",
    requestParams: {
      header: z.object({
        "If-None-Match": z.string().optional().meta({ description: 'W/"<version>" you have: 304 while unchanged.' }),
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
      "429": tooManyConnections,
      "410": problem("The job expired: its result is deleted (see expiredAt). ?redirect=false still answers 200."),
      "422": problem("The job failed and cannot succeed with its input: problem details with jobId and state."),
      "500": problem("The job failed: problem details with jobId, state, attempts and attemptErrors."),
      "503": unavailable,
    },
  },
});

export const cancelJob = operation({
  method: "DELETE",
  path: "/api/jobs/{id}",
  access: "user",
  params: jobIdParams,
  doc: {
    summary: "Cancel the job",
    responses: {
      "200": json("Cancelled (also when it already was).", jobStatusSchema),
      "404": problem("No such job."),
      "409": problem("The job has finished."),
    },
  },
});

export const retryJob = operation({
  method: "POST",
  path: "/api/jobs/{id}/retry",
  access: "user",
  params: jobIdParams,
  doc: {
    summary: "Run a failed job again",
    responses: { "202": accepted, "404": problem("No such job."), "409": problem("The job has not failed.") },
  },
});

export const createJobTokenRequest = z
  .strictObject({
    expiresInSeconds: z
      .int()
      .min(60)
      .max(JOB_TOKEN_MAX_TTL_S)
      .default(JOB_TOKEN_DEFAULT_TTL_S)
      .meta({ description: "How long the token works: 60 s to 24 h; 1 h unless given." }),
  })
  .meta({ id: "JobTokenRequest" });

export const createJobToken = operation({
  method: "POST",
  path: "/api/jobs/{id}/tokens",
  access: "user",
  params: jobIdParams,
  doc: {
    summary: "Make a read-only token for this job, for a browser to follow it",
    description:
      "The token (Authorization: Bearer ajt_…, or ?access_token= where headers cannot be sent: a WebSocket, an EventSource) reads this job's status monitor (long polls included), its events (SSE, or a WebSocket at /api/events that hears this job only) and its result, until it expires. Any other job is a 404; anything that is not one of those reads is a 403 (/problems/read-only-job-token). The job's owner or an admin may make one.",
    requestBody: { content: { "application/json": { schema: createJobTokenRequest } } },
    responses: {
      "201": json(
        "The token, shown once.",
        z
          .object({ token: z.string(), jobId: z.uuid(), expiresAt: z.iso.datetime({ offset: true }) })
          .meta({ id: "JobToken" }),
      ),
      ...badJsonBody,
      "403": problem("Sent with a job token: a job token cannot make another."),
      "404": problem("No such job of yours."),
      "422": problem("expiresInSeconds out of range, or an unknown member."),
    },
  },
});

export const getJobResult = operation({
  method: "GET",
  path: "/api/jobs/{id}/result",
  access: "user",
  jobToken: true,
  params: jobIdParams,
  doc: {
    summary: "The result of a succeeded job",
    responses: {
      "200": { description: "JSON, or a file with its Content-Type and Content-Disposition." },
      "404": problem("No such job, or a job type whose result is its effect (result.kind none)."),
      "410": problem("The job expired and its result was deleted."),
      "409": problem("The job has not succeeded (yet)."),
    },
  },
});

export const jobEvents = operation({
  method: "GET",
  path: "/api/jobs/{id}/events",
  access: "user",
  jobToken: true,
  params: jobIdParams,
  query: z.object({
    logs: z
      .enum(["true", "false"])
      .default("false")
      .transform((value) => value === "true")
      .meta({ description: "true: its log's lines too, as `event: log`; ids are then `<version>.<last line id>`." }),
  }),
  doc: {
    summary: "Server-Sent Events for one job",
    requestParams: { header: z.object({ "Last-Event-ID": z.string().optional() }) },
    responses: {
      "200": {
        description:
          "event: job, id: the version, data: a JobStatus; with ?logs=true also event: log, data: a JobLogLine; closes after the final state.",
        content: { "text/event-stream": { schema: z.string() } },
      },
      "404": problem("No such job."),
      "429": tooManyConnections,
    },
  },
});

export const getJobLogs = operation({
  method: "GET",
  path: "/api/jobs/{id}/logs",
  access: "user",
  jobToken: true,
  params: jobIdParams,
  query: jobLogQuery,
  doc: {
    summary: "The job's own log, oldest first",
    description:
      "What its handler logged, attempt by attempt (at most 1,000 lines and 256 KB an attempt, then one line saying how many were dropped). links.next reads on from the last line; it is null once the job has finished and every line is read. With Prefer: wait=N, a page that would be empty waits up to N seconds for a line (or the job's end).",
    requestParams: {
      header: z.object({
        Prefer: z
          .string()
          .optional()
          .meta({ description: `wait=N (at most ${MAX_WAIT_S}): a long poll on the cursor.` }),
      }),
    },
    responses: {
      "200": json("A page of lines.", jobLogPageSchema),
      "404": problem("No such job (or not yours)."),
      "422": problem("A bad limit, cursor, level or attempt."),
      "429": tooManyConnections,
    },
  },
});

/** What /api/events streams: its SSE operation and its WebSocket upgrade both read it. */
export const eventsQuery = z.object({
  scope: z.enum(["own", "all"]).default("own").meta({ description: "all: every job (admins only)." }),
});

export const allJobEvents = operation({
  method: "GET",
  path: "/api/events",
  access: "user",
  query: eventsQuery,
  doc: {
    summary: "Server-Sent Events for all your jobs (the same URL takes a WebSocket upgrade: see the README)",
    requestParams: { header: z.object({ "Last-Event-ID": z.string().optional() }) },
    responses: {
      "200": {
        description: "event: job, id: the change's time in ms, data: a JobStatus.",
        content: { "text/event-stream": { schema: z.string() } },
      },
      "404": problem("scope=all asked by someone who is not an admin."),
      "429": tooManyConnections,
    },
  },
});
