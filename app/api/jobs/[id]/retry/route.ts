import { isAdmin, jobScope } from "@/lib/auth/caller";
import { getDb } from "@/lib/db";
import { jobs } from "@/lib/http/api";
import { acceptedResponse } from "@/lib/http/job-responses";
import { apiRoute, handle } from "@/lib/http/route";
import { retryJob } from "@/lib/jobs/lifecycle";

/** Runs a failed job again, as a new attempt of the same job: 202 Accepted, as a submit is. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(jobs.retryJob, async ({ params: { id }, caller }) => {
    const job = await retryJob(getDb(), jobScope(caller), id, { actor: caller, audit: isAdmin(caller) });
    return acceptedResponse(job);
  }),
);
