import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

function connect(url: string) {
  const sql = postgres(url, {
    max: 10,
    onnotice: () => {},
    // A connection that cannot be made fails fast, so a request can answer
    // 503 instead of hanging while the database is down.
    connect_timeout: 3,
    // Names the process in pg_stat_activity: accepted-web, accepted-worker…
    connection: { application_name: `accepted-${process.env.ACCEPTED_PROCESS ?? "app"}` },
  });
  return { sql, db: drizzle(sql, { schema }) };
}

export type Database = ReturnType<typeof connect>["db"];
type Client = ReturnType<typeof connect>;

// One pool per process, kept on globalThis so Next's dev reloads reuse it.
const holder = globalThis as typeof globalThis & { __acceptedDb?: Client };

function client(): Client {
  if (!holder.__acceptedDb) {
    const url = process.env.DATABASE_URL;
    if (!url) {
      throw new Error("DATABASE_URL is not set: call prepareDatabase() first (the launcher and instrumentation do).");
    }
    holder.__acceptedDb = connect(url);
  }
  return holder.__acceptedDb;
}

/** The drizzle client for this process. */
export function getDb(): Database {
  return client().db;
}

/** The postgres.js pool under it, for the few raw statements we need. */
export function getSql(): postgres.Sql {
  return client().sql;
}

export async function closeDb(): Promise<void> {
  const current = holder.__acceptedDb;
  holder.__acceptedDb = undefined;
  await current?.sql.end({ timeout: 5 });
}
