import { getDb } from "@/lib/db";
import { webhooks } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";
import { rotateSecret } from "@/lib/webhooks/endpoints";

/** A new signing secret, in force at once; the old one signs nothing more. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(webhooks.rotateSecret, async ({ params: { id }, caller }) =>
    Response.json({ secret: await rotateSecret(getDb(), caller.id, id) }, { headers: { "Cache-Control": "no-store" } }),
  ),
);
