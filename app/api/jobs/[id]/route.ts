import { getDb } from "@/lib/db";
import { jobs } from "@/lib/http/api";
import { connectionAllowance, isAdmin, jobScope } from "@/lib/http/caller";
import { ifNoneMatch, preferredWaitSeconds } from "@/lib/http/conditional";
import { notModifiedResponse, statusMonitorResponse } from "@/lib/http/job-responses";
import { apiRoute, handle } from "@/lib/http/route";
import { cancelJob } from "@/lib/jobs/lifecycle";
import { requireJob } from "@/lib/jobs/queries";
import { toJobStatus } from "@/lib/jobs/representation";
import { connectionCounts } from "@/lib/realtime/connection-caps";
import { jobFeed } from "@/lib/realtime/job-feed";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  /**
   * The status monitor: the URI that 202 Accepted's Location names. With
   * If-None-Match naming the current version it answers 304; adding
   * `Prefer: wait=N` makes it a long poll that answers as soon as the job
   * changes, or 304 after N seconds.
   */
  handle(jobs.getJob, async ({ request, params: { id }, caller }) => {
    const scope = jobScope(caller);
    const db = getDb();
    let job = await requireJob(db, scope, id);

    const known = ifNoneMatch(request);
    if (known(job.version)) {
      const wait = preferredWaitSeconds(request);
      const changed = (version: number) =>
        connectionCounts().holding(connectionAllowance(caller), () =>
          jobFeed().waitForChange(id, version, wait * 1000, request.signal),
        );
      if (wait > 0 && (await changed(job.version))) {
        job = await requireJob(db, scope, id);
      }
      if (known(job.version)) return notModifiedResponse(job, wait);
    }
    const redirect = new URL(request.url).searchParams.get("redirect") !== "false";
    return statusMonitorResponse(job, { redirect });
  }),

  /**
   * Cancels the job (the status URI, as the pattern has it). A queued job
   * leaves the queue at once; a running one is stopped within about a second.
   * 200 with the cancelled job, also when it was cancelled already; 409 when
   * it has finished.
   */
  handle(jobs.cancelJob, async ({ params: { id }, caller }) => {
    const { job } = await cancelJob(getDb(), jobScope(caller), id, { actor: caller, audit: isAdmin(caller) });
    return Response.json(toJobStatus(job), { headers: { "Cache-Control": "no-store" } });
  }),
);
