import path from "node:path";
import { createDatabaseClient, type Database, type DatabaseClient } from "@/db/client";
import { prepareDatabase as prepare } from "@/db/prepare";
import { config, dataDir } from "./config";

// Kept on globalThis: Next bundles instrumentation and each route apart, and
// its dev server reloads modules; all of them must share one pool and URL.
const holder = globalThis as typeof globalThis & {
  __acceptedDb?: DatabaseClient;
  __acceptedDbUrl?: string;
  __acceptedListener?: DatabaseClient;
};

/**
 * Makes the configured database ready (DATABASE_URL, or the embedded
 * PostgreSQL under ACCEPTED_DATA_DIR, started or joined) and migrated, and
 * makes it the one this process's getDb() connects to.
 */
export async function prepareDatabase(): Promise<string> {
  const settings = config();
  // Migrations hold a session-level lock: through the direct URL when there is one.
  const url = await prepare({
    databaseUrl: settings.DATABASE_DIRECT_URL ?? settings.DATABASE_URL,
    embedded: { dataDir: path.join(dataDir(settings), "postgres"), port: settings.EMBEDDED_PG_PORT },
  });
  holder.__acceptedDbUrl = url;
  return url;
}

/** The URL of a connection that keeps its session (LISTEN, graphile-worker): DATABASE_DIRECT_URL, or the database's. */
export function sessionDatabaseUrl(): string {
  const url = config().DATABASE_DIRECT_URL ?? holder.__acceptedDbUrl ?? config().DATABASE_URL;
  if (!url) throw new Error("No database: set DATABASE_URL, or call prepareDatabase() first.");
  return url;
}

function client(): DatabaseClient {
  if (!holder.__acceptedDb) {
    // The pool for queries and transactions: DATABASE_URL itself, a pooler or not.
    const url = config().DATABASE_URL ?? holder.__acceptedDbUrl;
    if (!url) {
      throw new Error("No database: set DATABASE_URL, or call prepareDatabase() first (the worker and web do).");
    }
    holder.__acceptedDb = createDatabaseClient(url, `accepted-${config().ACCEPTED_PROCESS}`, {
      prepare: config().DATABASE_PREPARED_STATEMENTS,
    });
  }
  return holder.__acceptedDb;
}

/** The drizzle client for this process. */
export function getDb(): Database {
  return client().db;
}

/**
 * The connection this process LISTENs on (job changes, auth changes): a
 * session of its own, never through a transaction-mode pooler, which would
 * drop the subscription between transactions.
 */
export function getListener() {
  holder.__acceptedListener ??= createDatabaseClient(sessionDatabaseUrl(), `accepted-${config().ACCEPTED_PROCESS}`, {
    max: 1,
  });
  return holder.__acceptedListener.sql;
}

export async function closeDb(): Promise<void> {
  const clients = [holder.__acceptedDb, holder.__acceptedListener];
  holder.__acceptedDb = undefined;
  holder.__acceptedListener = undefined;
  await Promise.all(clients.map((current) => current?.sql.end({ timeout: 5 })));
}
