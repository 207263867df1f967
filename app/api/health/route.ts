import { sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { methodNotAllowed, route } from "@/lib/http/route";

/** Ready when the database answers; the launcher and tests wait on this. */
export const GET = route(z.object({}), async () => {
  await getDb().execute(sql`select 1`);
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
});

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
