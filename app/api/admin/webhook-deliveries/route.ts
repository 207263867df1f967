import { z } from "zod";
import { webhookDeliveryStates } from "@/db/webhook-events";
import { getDb } from "@/lib/db";
import { webhooks } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";
import { listDeliveries } from "@/lib/webhooks/deliveries";

const query = z.strictObject({ state: z.enum(webhookDeliveryStates).optional() });

/** Every user's latest deliveries, for the admin console (failing receivers show up here first). */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(webhooks.adminListDeliveries, async ({ request }) => {
    const { state } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
    const items = await listDeliveries(getDb(), { state }, 100);
    return Response.json({ items }, { headers: { "Cache-Control": "no-store" } });
  }),
);
