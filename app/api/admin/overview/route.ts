import { getDb } from "@/db/client";
import { overview } from "@/lib/admin/queries";
import { readConfig } from "@/lib/config";
import { adminRoute, methodNotAllowed } from "@/lib/http/route";

/** Counts by state, queue depth and age, the last hour per minute, and the live workers. */
export const GET = adminRoute({ path: "/api/admin/overview" }, async () => {
  const stats = await overview(getDb(), readConfig().WORKER_DEAD_AFTER_MS);
  return Response.json(stats, { headers: { "Cache-Control": "no-store" } });
});

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
