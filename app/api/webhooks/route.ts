import { getDb } from "@/lib/db";
import { webhooks } from "@/lib/http/api";
import { readJsonBody } from "@/lib/http/body";
import { apiRoute, handle } from "@/lib/http/route";
import { createEndpoint, createEndpointRequest, listEndpoints, toEndpointView } from "@/lib/webhooks/endpoints";

const MAX_BODY_BYTES = 16 * 1024;
const noStore = { "Cache-Control": "no-store" };

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(webhooks.listEndpoints, async ({ caller }) =>
    Response.json({ items: (await listEndpoints(getDb(), caller.id)).map(toEndpointView) }, { headers: noStore }),
  ),

  /** 201 with the secret, once; the URL must pass the destination checks and not redirect its ping. */
  handle(webhooks.createEndpoint, async ({ request, caller }) => {
    const body = createEndpointRequest.parse(await readJsonBody(request, MAX_BODY_BYTES));
    const { endpoint, secret, ping } = await createEndpoint(getDb(), caller.id, body);
    const { responseStart: _, ...pinged } = ping;
    return Response.json(
      { endpoint: toEndpointView(endpoint), secret, ping: pinged },
      { status: 201, headers: { ...noStore, Location: `/api/webhooks/${endpoint.id}` } },
    );
  }),
);
