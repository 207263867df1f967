import { z } from "zod";
import { callerScope } from "@/lib/http/caller";
import { methodNotAllowed, route } from "@/lib/http/route";
import { jobFeed } from "@/lib/realtime/job-feed";
import { lastEventIdOf, streamJobs } from "@/lib/realtime/job-streams";
import { sseResponse } from "@/lib/realtime/sse";

export const dynamic = "force-dynamic";

/** Server-Sent Events for every job the caller may see. */
export const GET = route(z.object({}), async (request) => {
  await jobFeed().start();
  const scope = callerScope(request);
  return sseResponse(request, (stream) => streamJobs(stream, scope, lastEventIdOf(request)));
});

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
