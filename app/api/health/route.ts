import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { methodNotAllowed, publicRoute } from "@/lib/http/route";

/** Ready when the database answers; the launcher and tests wait on this. */
export const GET = publicRoute({ path: "/api/health" }, async () => {
  await getDb().execute(sql`select 1`);
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
});

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
