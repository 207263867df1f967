import { jobs } from "@/lib/http/api";
import { isAdmin, jobScope, ownJobs } from "@/lib/http/caller";
import { problems } from "@/lib/http/problem";
import { endWhenRevoked } from "@/lib/http/revocation";
import { apiRoute, handle } from "@/lib/http/route";
import { jobFeed } from "@/lib/realtime/job-feed";
import { lastEventIdOf, streamJobs } from "@/lib/realtime/job-streams";
import { sseResponse } from "@/lib/realtime/sse";

export const dynamic = "force-dynamic";

/**
 * Server-Sent Events for the caller's jobs as they change; `?scope=all`
 * streams every job, for admins (the admin console).
 */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(jobs.allJobEvents, async ({ request, caller }) => {
    const { scope } = jobs.eventsQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
    if (scope === "all" && !isAdmin(caller)) throw problems.notFound("No such resource.");
    await jobFeed().start();
    const streamScope = scope === "all" ? jobScope(caller) : ownJobs(caller);
    return sseResponse(request, (stream) => {
      const stop = streamJobs(stream, streamScope, lastEventIdOf(request));
      const stopWatching = endWhenRevoked(request, caller, stream.close, scope === "all" ? isAdmin : undefined);
      return () => {
        stop();
        stopWatching();
      };
    });
  }),
);
