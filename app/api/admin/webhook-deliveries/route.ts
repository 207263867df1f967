import { getDb } from "@/lib/db";
import { webhooks } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";
import { listDeliveries } from "@/lib/webhooks/deliveries";

/** Every user's latest deliveries, for the admin console (failing receivers show up here first). */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(webhooks.adminListDeliveries, async ({ query: { state } }) => {
    const items = await listDeliveries(getDb(), { state }, 100);
    return Response.json({ items }, { headers: { "Cache-Control": "no-store" } });
  }),
);
