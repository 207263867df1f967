import path from "node:path";
import { dataDir, readConfig } from "@/lib/config";
import { startEmbeddedPostgres } from "./embedded";
import { migrateDatabase } from "./migrate";

/**
 * Makes DATABASE_URL point at a migrated database. Without DATABASE_URL this
 * starts (or joins) the embedded PostgreSQL whose data lives under
 * ACCEPTED_DATA_DIR, so `npm start` keeps jobs across restarts.
 */
export async function prepareDatabase(): Promise<string> {
  const config = readConfig();
  let url = config.DATABASE_URL;
  if (!url) {
    const server = await startEmbeddedPostgres({
      dataDir: path.join(dataDir(config), "postgres"),
      port: config.EMBEDDED_PG_PORT,
      persistent: true,
    });
    url = server.url;
    process.env.DATABASE_URL = url;
  }
  await migrateDatabase(url);
  return url;
}
