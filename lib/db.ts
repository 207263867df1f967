import path from "node:path";
import { createDatabaseClient, type Database, type DatabaseClient } from "@/db/client";
import { prepareDatabase as prepare } from "@/db/prepare";
import { config, dataDir } from "./config";

// Kept on globalThis: Next bundles instrumentation and each route apart, and
// its dev server reloads modules; all of them must share one pool and URL.
const holder = globalThis as typeof globalThis & { __acceptedDb?: DatabaseClient; __acceptedDbUrl?: string };

/**
 * Makes the configured database ready (DATABASE_URL, or the embedded
 * PostgreSQL under ACCEPTED_DATA_DIR, started or joined) and migrated, and
 * makes it the one this process's getDb() connects to.
 */
export async function prepareDatabase(): Promise<string> {
  const settings = config();
  const url = await prepare({
    databaseUrl: settings.DATABASE_URL,
    embedded: { dataDir: path.join(dataDir(settings), "postgres"), port: settings.EMBEDDED_PG_PORT },
  });
  holder.__acceptedDbUrl = url;
  return url;
}

function client(): DatabaseClient {
  if (!holder.__acceptedDb) {
    const url = holder.__acceptedDbUrl ?? config().DATABASE_URL;
    if (!url) {
      throw new Error("No database: set DATABASE_URL, or call prepareDatabase() first (the worker and web do).");
    }
    holder.__acceptedDb = createDatabaseClient(url, `accepted-${config().ACCEPTED_PROCESS}`);
  }
  return holder.__acceptedDb;
}

/** The drizzle client for this process. */
export function getDb(): Database {
  return client().db;
}

/** The postgres.js pool under it, for the few raw statements we need (LISTEN). */
export function getSql() {
  return client().sql;
}

export async function closeDb(): Promise<void> {
  const current = holder.__acceptedDb;
  holder.__acceptedDb = undefined;
  await current?.sql.end({ timeout: 5 });
}
