import { recentAudit } from "@/lib/admin/queries";
import { getDb } from "@/lib/db";
import { admin } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";

/** The latest admin actions: who, what, when, on which jobs. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(admin.adminAudit, async () => {
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
  }),
);
