import { getDb } from "@/db/client";
import { recentAudit } from "@/lib/admin/queries";
import { adminRoute, methodNotAllowed } from "@/lib/http/route";

/** The latest admin actions: who, what, when, on which jobs. */
export const GET = adminRoute({ path: "/api/admin/audit" }, async () => {
  const entries = await recentAudit(getDb(), 100);
  return Response.json(
    {
      items: entries.map((entry) => ({
        id: entry.id,
        at: entry.at.toISOString(),
        actorEmail: entry.actorEmail,
        action: entry.action,
        jobIds: entry.jobIds,
        detail: entry.detail,
      })),
    },
    { headers: { "Cache-Control": "no-store" } },
  );
});

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
