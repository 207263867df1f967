import type { Job } from "@/db/schema";
import { JobExpired } from "@/lib/errors";
import type { ListCursor } from "@/lib/jobs/filters";
import { hasResultResource, resultUri, statusUri, toJobStatus } from "@/lib/jobs/representation";
import { isTerminal } from "@/lib/jobs/states";
import { retryAfterSeconds } from "@/lib/jobs/timing";
import { encodeCursor } from "./api/schemas";
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
 * A submit's answer. A job made now: 202 (a replay marked so); an
 * unfinished job already holding the concurrency key: 200 with that job,
 * its status URI in Location. After `Prefer: wait=N` (`waitedS`), a job
 * that finished meanwhile is answered as its status URI would answer it
 * (303 to the result, the failure's problem, 200), naming that URI in
 * Content-Location; either way Preference-Applied says the wait was made.
 */
export function submitResponse(
  job: Job,
  { kind, waitedS }: { kind: "created" | "replayed" | "existing"; waitedS: number },
  now = new Date(),
): Response {
  let response: Response;
  if (waitedS > 0 && isTerminal(job.state)) {
    response = statusMonitorResponse(job, { redirect: true }, now);
    response.headers.set("Content-Location", statusUri(job.id));
  } else if (kind === "existing") {
    response = Response.json(toJobStatus(job), {
      status: 200,
      headers: { Location: statusUri(job.id), ...pollingHeaders(job, now) },
    });
  } else {
    response = acceptedResponse(job, { replayed: kind === "replayed" }, now);
  }
  if (waitedS > 0) response.headers.set("Preference-Applied", `wait=${waitedS}`);
  return response;
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

/** A page of the job list (GET /api/jobs, a schedule's runs): links.next and a Link header lead on from `request`'s URL. */
export function jobListResponse(request: Request, page: { items: Job[]; nextCursor: ListCursor | null }): Response {
  const url = new URL(request.url);
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  let next: string | null = null;
  if (page.nextCursor) {
    url.searchParams.set("cursor", encodeCursor(page.nextCursor));
    next = `${url.pathname}${url.search}`;
    headers.Link = `<${next}>; rel="next"`;
  }
  const retryAfter = soonestRetryAfter(page.items);
  if (retryAfter !== undefined) headers["Retry-After"] = String(retryAfter);
  return Response.json({ items: page.items.map(toJobStatus), links: { next } }, { headers });
}
