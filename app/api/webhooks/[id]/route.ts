import { getDb } from "@/lib/db";
import { webhooks } from "@/lib/http/api";
import { readJsonBody } from "@/lib/http/body";
import { apiRoute, handle } from "@/lib/http/route";
import {
  deleteEndpoint,
  requireEndpoint,
  toEndpointView,
  updateEndpoint,
  updateEndpointRequest,
} from "@/lib/webhooks/endpoints";

const MAX_BODY_BYTES = 16 * 1024;
const noStore = { "Cache-Control": "no-store" };

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(webhooks.getEndpoint, async ({ params: { id }, caller }) =>
    Response.json(toEndpointView(await requireEndpoint(getDb(), caller.id, id)), { headers: noStore }),
  ),

  handle(webhooks.updateEndpoint, async ({ request, params: { id }, caller }) => {
    const body = updateEndpointRequest.parse(await readJsonBody(request, MAX_BODY_BYTES));
    const { endpoint, ping } = await updateEndpoint(getDb(), caller.id, id, body);
    const pinged = ping ? { ok: ping.ok, status: ping.status, durationMs: ping.durationMs, error: ping.error } : null;
    return Response.json({ endpoint: toEndpointView(endpoint), ping: pinged }, { headers: noStore });
  }),

  handle(webhooks.deleteEndpoint, async ({ params: { id }, caller }) => {
    await deleteEndpoint(getDb(), caller.id, id);
    return new Response(null, { status: 204 });
  }),
);
