import { getDb } from "@/lib/db";
import { batches } from "@/lib/http/api";
import { batchMonitorResponse, batchNotModifiedResponse } from "@/lib/http/batch-responses";
import { connectionAllowance, isAdmin, jobScope } from "@/lib/http/caller";
import { ifNoneMatch, preferredWaitSeconds } from "@/lib/http/conditional";
import { apiRoute, handle } from "@/lib/http/route";
import { findBatch, requireBatch, toBatchStatus } from "@/lib/jobs/batch-status";
import { cancelBatch } from "@/lib/jobs/lifecycle";
import { batchJobIds, waitForBatchChange } from "@/lib/realtime/batch-streams";
import { connectionCounts } from "@/lib/realtime/connection-caps";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  /**
   * The batch's status monitor, as a job's is: 200 with counts while jobs
   * are unfinished, 303 to the result once all have; If-None-Match gives
   * 304, and with `Prefer: wait=N` a long poll that answers when any of its
   * jobs changes.
   */
  handle(batches.getBatch, async ({ request, params: { id }, caller }) => {
    const scope = jobScope(caller);
    const db = getDb();
    let batch = await requireBatch(db, scope, id);
    const known = ifNoneMatch(request);
    if (known(batch.version)) {
      const wait = preferredWaitSeconds(request);
      const reread = () => findBatch(db, scope, id);
      if (
        wait > 0 &&
        (await connectionCounts().holding(connectionAllowance(caller), async () =>
          waitForBatchChange(await batchJobIds(id), reread, batch.version, wait * 1000, request.signal),
        ))
      ) {
        batch = await requireBatch(db, scope, id);
      }
      if (known(batch.version)) return batchNotModifiedResponse(batch, wait);
    }
    const redirect = new URL(request.url).searchParams.get("redirect") !== "false";
    return batchMonitorResponse(batch, { redirect });
  }),

  /** Cancels what has not finished; 200 with the batch after it. */
  handle(batches.cancelBatch, async ({ params: { id }, caller }) => {
    const scope = jobScope(caller);
    const db = getDb();
    await requireBatch(db, scope, id);
    await cancelBatch(db, scope, id, { actor: caller, audit: isAdmin(caller) });
    return Response.json(toBatchStatus(await requireBatch(db, scope, id)), {
      headers: { "Cache-Control": "no-store" },
    });
  }),
);
