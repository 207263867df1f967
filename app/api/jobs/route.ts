import { ownJobs } from "@/lib/auth/caller";
import { getDb } from "@/lib/db";
import { IdempotencyKeyReused } from "@/lib/errors";
import { jobs } from "@/lib/http/api";
import { encodeCursor, submitJobRequest } from "@/lib/http/api/schemas";
import { readJsonBody } from "@/lib/http/body";
import { idempotencyKeyOf } from "@/lib/http/idempotency";
import { acceptedResponse, soonestRetryAfter } from "@/lib/http/job-responses";
import { apiRoute, handle } from "@/lib/http/route";
import { submitJob } from "@/lib/jobs/lifecycle";
import { listJobs } from "@/lib/jobs/queries";
import { toJobStatus } from "@/lib/jobs/representation";
import { checkSubmission } from "@/lib/jobs/submit-checks";

// Job inputs are parameters, not payloads: 64 KiB is generous.
const MAX_BODY_BYTES = 64 * 1024;

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(jobs.submitJob, async ({ request, caller }) => {
    const body = submitJobRequest.parse(await readJsonBody(request, MAX_BODY_BYTES));
    const db = getDb();
    const { jobType, input } = await checkSubmission(db, body, caller.id);
    const outcome = await submitJob(db, {
      jobType,
      input,
      ownerId: caller.id,
      idempotencyKey: idempotencyKeyOf(request),
      notifyWhenDone: body.notifyWhenDone,
      startBy: body.startBy ? new Date(body.startBy) : undefined,
    });
    if (outcome.kind === "key-reused") throw new IdempotencyKeyReused(outcome.job.id);
    return acceptedResponse(outcome.job, { replayed: outcome.kind === "replayed" });
  }),

  /** The caller's own jobs, newest first; admins see everyone's in the admin console. */
  handle(jobs.listJobs, async ({ request, query, caller }) => {
    const url = new URL(request.url);
    const { items, nextCursor } = await listJobs(getDb(), ownJobs(caller), query);

    const headers: Record<string, string> = { "Cache-Control": "no-store" };
    let next: string | null = null;
    if (nextCursor) {
      url.searchParams.set("cursor", encodeCursor(nextCursor));
      next = `${url.pathname}${url.search}`;
      headers.Link = `<${next}>; rel="next"`;
    }
    const retryAfter = soonestRetryAfter(items);
    if (retryAfter !== undefined) headers["Retry-After"] = String(retryAfter);
    return Response.json({ items: items.map(toJobStatus), links: { next } }, { headers });
  }),
);
