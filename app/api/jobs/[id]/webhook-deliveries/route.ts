import { jobScope } from "@/lib/auth/caller";
import { getDb } from "@/lib/db";
import { webhooks } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";
import { requireJob } from "@/lib/jobs/queries";
import { listDeliveries } from "@/lib/webhooks/deliveries";

/** The job's webhook messages: its owner's (an admin sees any job's). */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(webhooks.listJobDeliveries, async ({ params: { id }, caller }) => {
    const db = getDb();
    const job = await requireJob(db, jobScope(caller), id);
    const items = await listDeliveries(db, { jobId: job.id });
    return Response.json({ items }, { headers: { "Cache-Control": "no-store" } });
  }),
);
