import { getDb } from "@/db/client";
import { readJsonBody } from "@/lib/http/body";
import { ownJobs } from "@/lib/http/caller";
import { idempotencyKeyOf } from "@/lib/http/idempotency";
import { HttpProblem, problems } from "@/lib/http/problem";
import { methodNotAllowed, userRoute } from "@/lib/http/route";
import { submitJob } from "@/lib/jobs/lifecycle";
import { listJobs } from "@/lib/jobs/queries";
import { findJobType, submittableJobTypes, uploadFieldsOf } from "@/lib/jobs/registry";
import { acceptedResponse, soonestRetryAfter, toJobStatus } from "@/lib/jobs/representation";
import { encodeCursor, listJobsQuery, submitJobRequest } from "@/lib/jobs/schemas";
import { findUpload } from "@/lib/uploads/store";

// Job inputs are parameters, not payloads: 64 KiB is generous.
const MAX_BODY_BYTES = 64 * 1024;

export const POST = userRoute({ path: "/api/jobs" }, async (request, _params, caller) => {
  const body = submitJobRequest.parse(await readJsonBody(request, MAX_BODY_BYTES));
  const jobType = findJobType(body.type);
  // Internal types (admin bulk actions) are started by their own routes.
  if (!jobType || jobType.internal) {
    throw new HttpProblem(
      {
        slug: "unknown-job-type",
        title: "Unknown job type",
        status: 422,
        detail: `There is no job type "${body.type}".`,
      },
      { knownTypes: submittableJobTypes.map((known) => known.type) },
    );
  }
  const input = jobType.input.safeParse(body.input);
  if (!input.success) {
    throw problems.invalidRequest(
      `The input does not match the schema of ${jobType.type}.`,
      input.error.issues.map((issue) => ({ ...issue, path: ["input", ...issue.path] })),
    );
  }
  // An upload the input names must exist and be the caller's own.
  for (const field of uploadFieldsOf(jobType)) {
    const uploadId = input.data[field];
    if (typeof uploadId === "string" && !(await findUpload(getDb(), uploadId, caller.id))) {
      throw problems.invalidRequest(`The input names an upload that does not exist.`, [
        { path: ["input", field], message: "No such upload: send the file to POST /api/uploads first." },
      ]);
    }
  }
  const outcome = await submitJob(getDb(), {
    jobType,
    input: input.data,
    ownerId: caller.id,
    idempotencyKey: idempotencyKeyOf(request),
  });
  if (outcome.kind === "key-reused") throw problems.idempotencyKeyReused(outcome.job.id);
  return acceptedResponse(outcome.job, { replayed: outcome.kind === "replayed" });
});

/** The caller's own jobs, newest first; admins see everyone's in the admin console. */
export const GET = userRoute({ path: "/api/jobs" }, async (request, _params, caller) => {
  const url = new URL(request.url);
  const query = listJobsQuery.parse(Object.fromEntries(url.searchParams));
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
});

export const PUT = methodNotAllowed("GET, POST");
export const PATCH = methodNotAllowed("GET, POST");
export const DELETE = methodNotAllowed("GET, POST");
