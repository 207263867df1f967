import { startEmbeddedPostgres } from "./embedded";
import { migrateDatabase } from "./migrate";

/**
 * Makes `databaseUrl` (or, without one, the embedded PostgreSQL whose data
 * lives in `embedded.dataDir`) a migrated database, and returns its URL.
 */
export async function prepareDatabase(options: {
  databaseUrl?: string;
  embedded: { dataDir: string; port: number };
}): Promise<string> {
  let url = options.databaseUrl;
  if (!url) {
    const server = await startEmbeddedPostgres({ ...options.embedded, persistent: true });
    url = server.url;
  }
  await migrateDatabase(url);
  return url;
}
