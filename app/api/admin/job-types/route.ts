import { getDb } from "@/lib/db";
import { admin } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";
import { typeQueueStates } from "@/lib/jobs/type-controls";

/** Each job type's queue and controls. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(admin.adminJobTypes, async () =>
    Response.json({ items: await typeQueueStates(getDb()) }, { headers: { "Cache-Control": "no-store" } }),
  ),
);
