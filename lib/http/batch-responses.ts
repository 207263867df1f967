import { type Batch, batchEta, batchResultUri, isBatchFinished, toBatchStatus } from "@/lib/jobs/batch-status";
import { batchUri } from "@/lib/jobs/representation";
import { batchRetryAfterSeconds } from "@/lib/jobs/timing";
import { versionEtag } from "./conditional";

/** The answers that carry a batch: 202, and the batch monitor's 200/303/304, as a job's are. */

function pollingHeaders(batch: Batch, now: Date): Record<string, string> {
  const waiting = batch.counts.scheduled + batch.counts.queued;
  const retryAfter = batchRetryAfterSeconds(
    {
      unfinished: waiting + batch.counts.running,
      queued: waiting,
      scheduled: batch.counts.scheduled,
      paused: batch.paused,
      eta: batchEta(batch, now),
      soonestRunAt: batch.soonestRunAt,
    },
    now,
  );
  return {
    "Cache-Control": "no-store",
    ETag: versionEtag(batch.version),
    ...(retryAfter !== undefined ? { "Retry-After": String(retryAfter) } : {}),
  };
}

/** 202 Accepted for a batch just submitted (a replay of an idempotent one is marked so). */
export function acceptedBatchResponse(batch: Batch, { replayed = false } = {}, now = new Date()): Response {
  return Response.json(toBatchStatus(batch, now), {
    status: 202,
    headers: {
      Location: batchUri(batch.id),
      ...pollingHeaders(batch, now),
      ...(replayed ? { "Idempotent-Replayed": "true" } : {}),
    },
  });
}

/**
 * A batch submit's answer: 202; after `Prefer: wait=N` (`waitedS`), a
 * batch whose jobs all finished meanwhile is answered as its status URI
 * would (303 to its result), with Content-Location naming that URI, and
 * Preference-Applied either way.
 */
export function submittedBatchResponse(
  batch: Batch,
  { replayed, waitedS }: { replayed: boolean; waitedS: number },
  now = new Date(),
): Response {
  const finished = waitedS > 0 && isBatchFinished(batch);
  const response = finished
    ? batchMonitorResponse(batch, { redirect: true }, now)
    : acceptedBatchResponse(batch, { replayed }, now);
  if (finished) response.headers.set("Content-Location", batchUri(batch.id));
  if (waitedS > 0) response.headers.set("Preference-Applied", `wait=${waitedS}`);
  return response;
}

/** 200 while any job is unfinished; 303 to the batch's result once all have (200 with `redirect: false`). */
export function batchMonitorResponse(batch: Batch, options: { redirect: boolean }, now = new Date()): Response {
  if (options.redirect && isBatchFinished(batch)) {
    return Response.json(toBatchStatus(batch, now), {
      status: 303,
      headers: { Location: batchResultUri(batch.id), "Cache-Control": "no-store", ETag: versionEtag(batch.version) },
    });
  }
  return Response.json(toBatchStatus(batch, now), { headers: pollingHeaders(batch, now) });
}

/** 304 for a client that has this version already (after a long poll of `waitedS` seconds, if any). */
export function batchNotModifiedResponse(batch: Batch, waitedS: number, now = new Date()): Response {
  return new Response(null, {
    status: 304,
    headers: { ...pollingHeaders(batch, now), ...(waitedS > 0 ? { "Preference-Applied": `wait=${waitedS}` } : {}) },
  });
}
