import { z } from "zod";
import { isAdmin, jobScope, ownJobs } from "@/lib/http/caller";
import { problems } from "@/lib/http/problem";
import { methodNotAllowed, userRoute } from "@/lib/http/route";
import { jobFeed } from "@/lib/realtime/job-feed";
import { lastEventIdOf, streamJobs } from "@/lib/realtime/job-streams";
import { sseResponse } from "@/lib/realtime/sse";

export const dynamic = "force-dynamic";

const eventsQuery = z.object({ scope: z.enum(["own", "all"]).default("own") });

/**
 * Server-Sent Events for the caller's jobs as they change; `?scope=all`
 * streams every job, for admins (the admin console).
 */
export const GET = userRoute({ path: "/api/events" }, async (request, _params, caller) => {
  const { scope } = eventsQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  if (scope === "all" && !isAdmin(caller)) throw problems.notFound("No such resource.");
  await jobFeed().start();
  const streamScope = scope === "all" ? jobScope(caller) : ownJobs(caller);
  return sseResponse(request, (stream) => streamJobs(stream, streamScope, lastEventIdOf(request)));
});

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
