import { getDb } from "@/lib/db";
import { webhooks } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";
import { sendTestEvent } from "@/lib/webhooks/deliveries";
import { requireEndpoint } from "@/lib/webhooks/endpoints";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(webhooks.sendTestEvent, async ({ params: { id }, caller }) => {
    const db = getDb();
    const deliveryId = await sendTestEvent(db, await requireEndpoint(db, caller.id, id));
    return Response.json({ deliveryId }, { status: 202 });
  }),
);
