import { getDb } from "@/lib/db";
import { webhooks } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";
import { redeliver } from "@/lib/webhooks/deliveries";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(webhooks.redeliver, async ({ params: { id, deliveryId }, caller }) => {
    await redeliver(getDb(), caller.id, id, deliveryId);
    return new Response(null, { status: 202 });
  }),
);
