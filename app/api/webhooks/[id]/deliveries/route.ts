import { getDb } from "@/lib/db";
import { webhooks } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";
import { listDeliveries } from "@/lib/webhooks/deliveries";
import { requireEndpoint } from "@/lib/webhooks/endpoints";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(webhooks.listEndpointDeliveries, async ({ params: { id }, caller }) => {
    const db = getDb();
    const endpoint = await requireEndpoint(db, caller.id, id);
    const items = await listDeliveries(db, { ownerId: caller.id, endpointId: endpoint.id });
    return Response.json({ items }, { headers: { "Cache-Control": "no-store" } });
  }),
);
