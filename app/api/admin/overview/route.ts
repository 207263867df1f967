import { overview } from "@/lib/admin/queries";
import { config } from "@/lib/config";
import { getDb } from "@/lib/db";
import { admin } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";

/** Counts by state, queue depth and age, the last hour per minute, and the live workers. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(admin.adminOverview, async () => {
    const stats = await overview(getDb(), config().WORKER_DEAD_AFTER_MS);
    return Response.json(stats, { headers: { "Cache-Control": "no-store" } });
  }),
);
