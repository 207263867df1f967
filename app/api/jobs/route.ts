import { ownJobs } from "@/lib/auth/caller";
import { getDb } from "@/lib/db";
import { IdempotencyKeyReused } from "@/lib/errors";
import { jobs } from "@/lib/http/api";
import { runAtOf, submitJobRequest } from "@/lib/http/api/schemas";
import { readJsonBody } from "@/lib/http/body";
import { submitWaitSeconds } from "@/lib/http/conditional";
import { idempotencyKeyOf } from "@/lib/http/idempotency";
import { jobListResponse, submitResponse } from "@/lib/http/job-responses";
import { waitUntilFinished, withWaitAllowance } from "@/lib/http/realtime/long-poll";
import { apiRoute, handle } from "@/lib/http/route";
import { followJob } from "@/lib/http/status-monitors";
import { submitJob } from "@/lib/jobs/lifecycle";
import { listJobs } from "@/lib/jobs/queries";
import { checkSubmission } from "@/lib/jobs/submit-checks";

// Job inputs are parameters, not payloads: 64 KiB is generous.
const MAX_BODY_BYTES = 64 * 1024;

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(jobs.submitJob, async ({ request, caller }) => {
    const waitS = submitWaitSeconds(request);
    const body = submitJobRequest.parse(await readJsonBody(request, MAX_BODY_BYTES));
    const db = getDb();
    const { jobType, input } = await checkSubmission(db, body, caller.id);
    return withWaitAllowance(caller, waitS, async (waitS) => {
      const outcome = await submitJob(db, {
        jobType,
        input,
        ownerId: caller.id,
        idempotencyKey: idempotencyKeyOf(request),
        notifyWhenDone: body.notifyWhenDone,
        startBy: body.startBy ? new Date(body.startBy) : undefined,
        runAt: body.runAt === undefined ? undefined : runAtOf(body.runAt),
        concurrencyKey: body.concurrencyKey,
      });
      if (outcome.kind === "key-reused") throw new IdempotencyKeyReused(outcome.job.id);
      // A job that will not even start within the wait is answered at once.
      const startsTooLate = outcome.job.runAt !== null && outcome.job.runAt.getTime() > Date.now() + waitS * 1000;
      const waitedS = startsTooLate ? 0 : waitS;
      const followed = followJob(ownJobs(caller), outcome.job.id);
      const job = await waitUntilFinished(outcome.job, followed, waitedS, request.signal);
      return submitResponse(job, { kind: outcome.kind, waitedS });
    });
  }),

  /** The caller's own jobs, newest first; admins see everyone's in the admin console. */
  handle(jobs.listJobs, async ({ request, query, caller }) =>
    jobListResponse(request, await listJobs(getDb(), ownJobs(caller), query)),
  ),
);
