import { jobScope } from "@/lib/auth/caller";
import { getDb } from "@/lib/db";
import { BatchNotFinished } from "@/lib/errors";
import { batches } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";
import { batchResult, isBatchFinished, requireBatch } from "@/lib/jobs/batch-status";

/** Where the batch's monitor sends a client once every job has finished: each job's state and result link. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(batches.batchResult, async ({ params: { id }, caller }) => {
    const db = getDb();
    const batch = await requireBatch(db, jobScope(caller), id);
    const { scheduled, queued, running } = batch.counts;
    if (!isBatchFinished(batch)) throw new BatchNotFinished(id, scheduled + queued + running);
    return Response.json(await batchResult(db, batch), { headers: { "Cache-Control": "no-store" } });
  }),
);
