import { getDb } from "@/lib/db";
import { jobs } from "@/lib/http/api";
import { isAdmin, jobScope } from "@/lib/http/caller";
import { endWhenRevoked } from "@/lib/http/revocation";
import { apiRoute, handle } from "@/lib/http/route";
import { requireJob } from "@/lib/jobs/queries";
import { jobFeed } from "@/lib/realtime/job-feed";
import { lastEventIdOf, streamJob } from "@/lib/realtime/job-streams";
import { sseResponse } from "@/lib/realtime/sse";

export const dynamic = "force-dynamic";

/** Server-Sent Events for one job, ending with its final state. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(jobs.jobEvents, async ({ request, params: { id }, caller }) => {
    await jobFeed().start();
    const job = await requireJob(getDb(), jobScope(caller), id);
    const lastEventId = lastEventIdOf(request) ?? 0;
    return sseResponse(request, (stream) => {
      const stop = streamJob(stream, job, lastEventId);
      // An admin watching someone else's job must still be an admin.
      const stillAllowed = job.ownerId === caller.id ? undefined : isAdmin;
      const stopWatching = endWhenRevoked(request, caller, stream.close, stillAllowed);
      return () => {
        stop();
        stopWatching();
      };
    });
  }),
);
