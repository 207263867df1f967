import { isAdmin, jobScope } from "@/lib/auth/caller";
import { getDb } from "@/lib/db";
import { jobs } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";
import { jobMonitor } from "@/lib/http/status-monitors";
import { cancelJob } from "@/lib/jobs/lifecycle";
import { toJobStatus } from "@/lib/jobs/representation";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  jobMonitor,

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
