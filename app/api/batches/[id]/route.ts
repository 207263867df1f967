import { isAdmin, jobScope } from "@/lib/auth/caller";
import { getDb } from "@/lib/db";
import { batches } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";
import { batchMonitor } from "@/lib/http/status-monitors";
import { requireBatch, toBatchStatus } from "@/lib/jobs/batch-status";
import { cancelBatch } from "@/lib/jobs/lifecycle";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  batchMonitor,

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
