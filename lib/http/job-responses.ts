import type { Job } from "@/db/schema";
import { JobExpired } from "@/lib/errors";
import { hasResultResource, resultUri, statusUri, toJobStatus } from "@/lib/jobs/representation";
import { retryAfterSeconds } from "@/lib/jobs/timing";
import { versionEtag } from "./conditional";
import { domainProblem, problemResponse } from "./problem";

/** The answers that carry a job: 202, the status monitor's 200/303/304/410/failure, in the README's contract. */

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
    const gone = domainProblem(new JobExpired(job.id, job.state, job.expiredAt));
    return problemResponse(gone.problem, { ...gone.headers, ETag: versionEtag(job.version) });
  }
  // A job whose effect is its result ("none") reports success right here.
  if (options.redirect && hasResultResource(job)) {
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
