import type { Job } from "@/db/schema";
import { versionEtag } from "@/lib/http/conditional";
import { problemResponse, problems } from "@/lib/http/problem";
import { findJobType } from "./registry";
import { retryAfterSeconds } from "./timing";

export const statusUri = (id: string) => `/api/jobs/${id}`;
export const resultUri = (id: string) => `/api/jobs/${id}/result`;

/** The status representation: the same body for 202, the monitor and the list. */
export function toJobStatus(job: Job) {
  const jobType = findJobType(job.type);
  return {
    id: job.id,
    type: job.type,
    title: jobType?.title ?? job.type,
    state: job.state,
    // Grows with every change: SSE event id, ETag, and how clients order updates.
    version: job.version,
    progress: job.progress,
    message: job.message,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    attemptErrors: job.attemptErrors,
    input: job.input,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    updatedAt: job.updatedAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    estimatedCompletionAt: job.estimatedCompletionAt?.toISOString() ?? null,
    retryAt: job.retryAt?.toISOString() ?? null,
    // The result is described, never inlined: it is served by its own resource.
    result: job.result?.kind === "file" ? { ...job.result } : job.result ? { kind: job.result.kind } : null,
    error: job.error ? { ...job.error, instance: statusUri(job.id) } : null,
    cancelledAt: job.cancelledAt?.toISOString() ?? null,
    cancelledBy: job.cancelledBy,
    // When the job and its result stop being kept; once expiredAt is set the
    // result is gone and the status URI answers 410.
    expiresAt: job.expiresAt?.toISOString() ?? null,
    expiredAt: job.expiredAt?.toISOString() ?? null,
    links: {
      self: statusUri(job.id),
      ...(job.state === "succeeded" && job.result && job.result.kind !== "none" ? { result: resultUri(job.id) } : {}),
      // DELETE the status URI to cancel; POST here to run a failed job again.
      ...(job.state === "queued" || job.state === "running" ? { cancel: statusUri(job.id) } : {}),
      ...(job.state === "failed" && !job.expiredAt ? { retry: `${statusUri(job.id)}/retry` } : {}),
    },
  };
}

export type JobStatus = ReturnType<typeof toJobStatus>;

function pollingHeaders(job: Job, now: Date): Record<string, string> {
  const retryAfter = retryAfterSeconds(job, now);
  return {
    "Cache-Control": "no-store",
    ETag: versionEtag(job.version),
    ...(retryAfter !== undefined ? { "Retry-After": String(retryAfter) } : {}),
  };
}

/**
 * 202 Accepted for a job just submitted (or retried). A repeat of an
 * idempotent request is answered the same way, marked as a replay.
 */
export function acceptedResponse(job: Job, { replayed = false } = {}, now = new Date()): Response {
  return Response.json(toJobStatus(job), {
    status: 202,
    headers: {
      Location: statusUri(job.id),
      ...pollingHeaders(job, now),
      ...(replayed ? { "Idempotent-Replayed": "true" } : {}),
    },
  });
}

/**
 * The status monitor's answer (see the README's contract table). With
 * `redirect: false` every state answers 200 with the status representation,
 * which is how browsers, whose fetch follows 303 by itself, read it.
 */
export function statusMonitorResponse(job: Job, options: { redirect: boolean }, now = new Date()): Response {
  if (options.redirect && job.expiredAt) {
    const gone = problems.expired(job.id, job.state, job.expiredAt);
    return problemResponse(gone.problem, { ...gone.headers, ETag: versionEtag(job.version) });
  }
  // A job whose effect is its result ("none") reports success right here.
  if (options.redirect && job.state === "succeeded" && job.result?.kind !== "none") {
    return Response.json(toJobStatus(job), {
      status: 303,
      headers: { Location: resultUri(job.id), "Cache-Control": "no-store", ETag: versionEtag(job.version) },
    });
  }
  if (options.redirect && job.state === "failed" && job.error) {
    return problemResponse(
      {
        ...job.error,
        instance: statusUri(job.id),
        jobId: job.id,
        state: job.state,
        attempts: job.attempts,
        attemptErrors: job.attemptErrors,
      },
      { ETag: versionEtag(job.version) },
    );
  }
  return Response.json(toJobStatus(job), { status: 200, headers: pollingHeaders(job, now) });
}

/** 304 for a client that has this version already (after a long poll of `waitedS` seconds, if any). */
export function notModifiedResponse(job: Job, waitedS: number, now = new Date()): Response {
  return new Response(null, {
    status: 304,
    headers: { ...pollingHeaders(job, now), ...(waitedS > 0 ? { "Preference-Applied": `wait=${waitedS}` } : {}) },
  });
}

/** The soonest Retry-After among jobs still in progress, for list responses. */
export function soonestRetryAfter(items: Job[], now = new Date()): number | undefined {
  const hints = items.map((job) => retryAfterSeconds(job, now)).filter((s): s is number => s !== undefined);
  return hints.length > 0 ? Math.min(...hints) : undefined;
}
