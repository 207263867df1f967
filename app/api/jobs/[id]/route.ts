import { getDb } from "@/db/client";
import { callerScope } from "@/lib/http/caller";
import { problems } from "@/lib/http/problem";
import { route } from "@/lib/http/route";
import { findJob } from "@/lib/jobs/queries";
import { statusMonitorResponse } from "@/lib/jobs/representation";
import { jobIdParams } from "@/lib/jobs/schemas";

/** The status monitor: the URI that 202 Accepted's Location names. */
export const GET = route(jobIdParams, async (request, { id }) => {
  const job = await findJob(getDb(), callerScope(request), id);
  if (!job) throw problems.notFound(`There is no job ${id}.`);
  const redirect = new URL(request.url).searchParams.get("redirect") !== "false";
  return statusMonitorResponse(job, { redirect });
});
