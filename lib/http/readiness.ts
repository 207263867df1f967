import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db";
import { isDraining } from "@/lib/draining";
import { problems } from "./problem";

/** Readiness: 200 while the database answers and the process is not draining; a 503 problem otherwise. */
export async function readinessResponse(): Promise<Response> {
  if (isDraining()) throw problems.draining();
  await getDb().execute(sql`select 1`);
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
