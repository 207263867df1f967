import { getDb } from "@/db/client";
import { isAdmin, jobScope } from "@/lib/http/caller";
import { problems } from "@/lib/http/problem";
import { methodNotAllowed, userRoute } from "@/lib/http/route";
import { retryJob } from "@/lib/jobs/lifecycle";
import { findJob } from "@/lib/jobs/queries";
import { findJobType } from "@/lib/jobs/registry";
import { acceptedResponse } from "@/lib/jobs/representation";
import { jobIdParams } from "@/lib/jobs/schemas";

/** Runs a failed job again, as a new attempt of the same job: 202 Accepted, as a submit is. */
export const POST = userRoute(
  { path: "/api/jobs/[id]/retry", params: jobIdParams },
  async (_request, { id }, caller) => {
    const db = getDb();
    const scope = jobScope(caller);
    const job = await findJob(db, scope, id);
    const jobType = job && findJobType(job.type);
    if (!job || !jobType) throw problems.notFound(`There is no job ${id}.`);
    const audit = isAdmin(caller) ? { actor: caller, action: "retry" } : undefined;
    const outcome = await retryJob(db, scope, id, jobType, audit);
    if (outcome.kind === "not-found") throw problems.notFound(`There is no job ${id}.`);
    if (outcome.kind === "not-failed") {
      throw problems.conflict(
        id,
        outcome.job.state,
        `The job is ${outcome.job.state}; only a failed job can be retried.`,
      );
    }
    return acceptedResponse(outcome.job);
  },
);

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
