import { getDb } from "@/lib/db";
import { batches } from "@/lib/http/api";
import { isAdmin, jobScope } from "@/lib/http/caller";
import { endWhenRevoked } from "@/lib/http/revocation";
import { apiRoute, handle } from "@/lib/http/route";
import { findBatch, requireBatch } from "@/lib/jobs/batches";
import { batchJobIds, streamBatch } from "@/lib/realtime/batch-streams";
import { jobFeed } from "@/lib/realtime/job-feed";
import { lastEventIdOf } from "@/lib/realtime/job-streams";
import { sseResponse } from "@/lib/realtime/sse";

export const dynamic = "force-dynamic";

/** Server-Sent Events for one batch, ending once every job in it has finished. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(batches.batchEvents, async ({ request, params: { id }, caller }) => {
    await jobFeed().start();
    const scope = jobScope(caller);
    const db = getDb();
    const batch = await requireBatch(db, scope, id);
    const jobIds = await batchJobIds(id);
    const lastEventId = lastEventIdOf(request) ?? 0;
    return sseResponse(request, (stream) => {
      const stop = streamBatch(stream, batch, jobIds, () => findBatch(db, scope, id), lastEventId);
      // An admin watching someone else's batch must still be an admin.
      const stillAllowed = batch.ownerId === caller.id ? undefined : isAdmin;
      const stopWatching = endWhenRevoked(request, caller, stream.close, stillAllowed);
      return () => {
        stop();
        stopWatching();
      };
    });
  }),
);
