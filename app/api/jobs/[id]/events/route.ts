import { getDb } from "@/db/client";
import { jobScope } from "@/lib/http/caller";
import { problems } from "@/lib/http/problem";
import { methodNotAllowed, userRoute } from "@/lib/http/route";
import { findJob } from "@/lib/jobs/queries";
import { jobIdParams } from "@/lib/jobs/schemas";
import { jobFeed } from "@/lib/realtime/job-feed";
import { lastEventIdOf, streamJob } from "@/lib/realtime/job-streams";
import { sseResponse } from "@/lib/realtime/sse";

export const dynamic = "force-dynamic";

/** Server-Sent Events for one job, ending with its final state. */
export const GET = userRoute(
  { path: "/api/jobs/[id]/events", params: jobIdParams },
  async (request, { id }, caller) => {
    await jobFeed().start();
    const job = await findJob(getDb(), jobScope(caller), id);
    if (!job) throw problems.notFound(`There is no job ${id}.`);
    const lastEventId = lastEventIdOf(request) ?? 0;
    return sseResponse(request, (stream) => streamJob(stream, job, lastEventId));
  },
);

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
