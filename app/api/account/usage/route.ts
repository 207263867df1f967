import { getDb } from "@/lib/db";
import { account } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";
import { ownerUsage } from "@/lib/jobs/quotas";

/** The caller's unfinished jobs and cap: the dashboard shows them by the start form. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(account.readUsage, async ({ caller }) =>
    Response.json(await ownerUsage(getDb(), caller.id), { headers: { "Cache-Control": "no-store" } }),
  ),
);
