import { z } from "zod";
import { batchResultSchema, batchStatusSchema } from "@/lib/jobs/status-schemas";
import { MAX_WAIT_S } from "../conditional";
import { operation } from "../route";
import {
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
import { jobIdParams, MAX_BATCH_SIZE, submitBatchRequest } from "./schemas";

const batchIdParams = jobIdParams;

export const submitBatch = operation({
  method: "POST",
  path: "/api/batches",
  access: "user",
  doc: {
    summary: `Submit up to ${MAX_BATCH_SIZE} jobs as one accepted operation`,
    description:
      "Every item is validated first; one bad item refuses the batch (a 422 naming each bad item by index and path) " +
      "and nothing is written. Otherwise every job and queue entry is written in one statement. The batch must fit " +
      "under your cap on unfinished jobs as a whole. Its jobs are ordinary jobs (their own status URIs and events).",
    requestParams: { header: submitHeaders("batch") },
    requestBody: { content: { "application/json": { schema: submitBatchRequest } } },
    responses: {
      "202": {
        description: "Accepted: every job is queued. Follow Location.",
        headers: z.object({ Location: header("The batch's status monitor."), "Retry-After": retryAfter }),
        content: { "application/json": { schema: batchStatusSchema } },
      },
      "303": {
        description: "With Prefer: wait=N, every job finished within N seconds: the batch's result is at Location.",
        headers: z.object({
          Location: header("The batch's result."),
          "Content-Location": header("The batch's status monitor."),
          "Preference-Applied": header("wait=N"),
        }),
        content: { "application/json": { schema: batchStatusSchema } },
      },
      ...badJsonBody,
      "400": problem("Malformed JSON, a malformed Idempotency-Key, or a Prefer: wait that is not whole seconds."),
      "413": problem("The body is over 1 MiB."),
      "422": problem('Items that are not valid (errors: each with its path, ["jobs", index, …]); nothing was written.'),
      "429": overCap("The batch does not fit under your cap on unfinished jobs"),
      "503": unavailable,
    },
  },
});

export const listBatches = operation({
  method: "GET",
  path: "/api/batches",
  access: "user",
  doc: {
    summary: "Your latest 25 batches, newest first",
    responses: { "200": json("Each batch's status.", z.object({ items: z.array(batchStatusSchema) })) },
  },
});

export const getBatch = operation({
  method: "GET",
  path: "/api/batches/{id}",
  access: "user",
  params: batchIdParams,
  query: redirectQuery,
  doc: {
    summary: "The batch's status monitor",
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
        description: "Some jobs unfinished (or ?redirect=false): counts per state, progress, an ETA.",
        headers: z.object({ ETag: etag, "Retry-After": retryAfter.optional() }),
        content: { "application/json": { schema: batchStatusSchema } },
      },
      "303": {
        description: "Every job has finished: the batch's result is at Location.",
        headers: z.object({ Location: header("The batch's result."), ETag: etag }),
        content: { "application/json": { schema: batchStatusSchema } },
      },
      "304": { description: "Unchanged since the version named in If-None-Match (after waiting, with Prefer)." },
      "404": problem("No such batch, or not yours."),
      "429": tooManyConnections,
    },
  },
});

export const cancelBatch = operation({
  method: "DELETE",
  path: "/api/batches/{id}",
  access: "user",
  params: batchIdParams,
  doc: {
    summary: "Cancel every job of the batch that has not finished",
    responses: {
      "200": json("The batch after the cancel (finished jobs are as they were).", batchStatusSchema),
      "404": problem("No such batch, or not yours."),
    },
  },
});

export const batchResult = operation({
  method: "GET",
  path: "/api/batches/{id}/result",
  access: "user",
  params: batchIdParams,
  doc: {
    summary: "Each job's final state and result link",
    responses: {
      "200": json("Every job has finished.", batchResultSchema),
      "404": problem("No such batch, or not yours."),
      "409": problem("Some jobs have not finished; follow the batch's status monitor (Link rel=monitor)."),
    },
  },
});

export const batchEvents = operation({
  method: "GET",
  path: "/api/batches/{id}/events",
  access: "user",
  params: batchIdParams,
  doc: {
    summary: "Server-Sent Events for one batch",
    requestParams: { header: z.object({ "Last-Event-ID": z.string().optional() }) },
    responses: {
      "200": {
        description: "event: batch, id: its version, data: a BatchStatus; closes once every job has finished.",
        content: { "text/event-stream": { schema: z.string() } },
      },
      "404": problem("No such batch, or not yours."),
      "429": tooManyConnections,
    },
  },
});
