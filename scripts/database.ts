import path from "node:path";
import { startEmbeddedPostgres } from "@/db/embedded";
import { migrateDatabase } from "@/db/migrate";
import { dataDir, readConfig } from "@/lib/config";

/**
 * The database for a launcher: DATABASE_URL when set, else embedded
 * PostgreSQL; migrated before web and worker start, so they find it ready.
 */
export async function launchDatabase(options: { dataSubdir: string; port?: number; persistent: boolean }) {
  const config = readConfig();
  if (config.DATABASE_URL) {
    await migrateDatabase(config.DATABASE_URL);
    return { url: config.DATABASE_URL, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres({
    dataDir: path.join(dataDir(config), options.dataSubdir),
    port: options.port ?? config.EMBEDDED_PG_PORT,
    persistent: options.persistent,
  });
  await migrateDatabase(server.url);
  return { url: server.url, stop: () => server.stop() };
}
