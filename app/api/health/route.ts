import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { system } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";

/** Ready when the database answers; the launcher and tests wait on this. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(system.health, async () => {
    await getDb().execute(sql`select 1`);
    return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  }),
);
