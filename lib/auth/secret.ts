import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { appSettings } from "@/db/schema";
import { config } from "@/lib/config";
import { getDb } from "@/lib/db";

/**
 * The key that signs session cookies. BETTER_AUTH_SECRET when set; otherwise
 * one generated on first use and kept in Postgres, so every app instance on
 * the same database signs with the same key and restarts keep people signed in.
 */
export async function readAuthSecret(): Promise<string> {
  const fromEnv = config().BETTER_AUTH_SECRET;
  if (fromEnv) return fromEnv;
  const db = getDb();
  // Two instances starting together: the first insert wins, both read it.
  await db
    .insert(appSettings)
    .values({ key: "auth_secret", value: randomBytes(32).toString("base64url") })
    .onConflictDoNothing();
  const [row] = await db.select().from(appSettings).where(eq(appSettings.key, "auth_secret"));
  if (!row) throw new Error("auth secret missing after insert");
  return row.value;
}
