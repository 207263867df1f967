import { getDb } from "@/db/client";
import { isAdmin, jobScope } from "@/lib/http/caller";
import { ifNoneMatchVersion, preferredWaitSeconds } from "@/lib/http/conditional";
import { problems } from "@/lib/http/problem";
import { methodNotAllowed, userRoute } from "@/lib/http/route";
import { cancelJob } from "@/lib/jobs/lifecycle";
import { findJob } from "@/lib/jobs/queries";
import { notModifiedResponse, statusMonitorResponse, toJobStatus } from "@/lib/jobs/representation";
import { jobIdParams } from "@/lib/jobs/schemas";
import { jobFeed } from "@/lib/realtime/job-feed";

/**
 * The status monitor: the URI that 202 Accepted's Location names. With
 * If-None-Match naming the current version it answers 304; adding
 * `Prefer: wait=N` makes it a long poll that answers as soon as the job
 * changes, or 304 after N seconds.
 */
export const GET = userRoute({ path: "/api/jobs/[id]", params: jobIdParams }, async (request, { id }, caller) => {
  const scope = jobScope(caller);
  const db = getDb();
  let job = await findJob(db, scope, id);
  if (!job) throw problems.notFound(`There is no job ${id}.`);

  const known = ifNoneMatchVersion(request);
  if (known === job.version) {
    const wait = preferredWaitSeconds(request);
    if (wait > 0 && (await jobFeed().waitForChange(id, job.version, wait * 1000, request.signal))) {
      job = await findJob(db, scope, id);
      if (!job) throw problems.notFound(`There is no job ${id}.`);
    }
    if (known === job.version) return notModifiedResponse(job, wait);
  }
  const redirect = new URL(request.url).searchParams.get("redirect") !== "false";
  return statusMonitorResponse(job, { redirect });
});

/**
 * Cancels the job (the status URI, as the pattern has it). A queued job
 * leaves the queue at once; a running one is stopped within about a second.
 * 200 with the cancelled job, also when it was cancelled already; 409 when it
 * has finished.
 */
export const DELETE = userRoute({ path: "/api/jobs/[id]", params: jobIdParams }, async (_request, { id }, caller) => {
  const audit = isAdmin(caller) ? { actor: caller, action: "cancel" } : undefined;
  const outcome = await cancelJob(getDb(), jobScope(caller), id, caller.email, audit);
  if (outcome.kind === "not-found") throw problems.notFound(`There is no job ${id}.`);
  if (outcome.kind === "finished") {
    throw problems.conflict(
      id,
      outcome.job.state,
      `The job has ${outcome.job.state}; only a queued or running job can be cancelled.`,
    );
  }
  return Response.json(toJobStatus(outcome.job), { headers: { "Cache-Control": "no-store" } });
});

export const POST = methodNotAllowed("GET, DELETE");
export const PUT = methodNotAllowed("GET, DELETE");
export const PATCH = methodNotAllowed("GET, DELETE");
