import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

/**
 * A connection pool and the drizzle client over it. Who connects where is
 * the caller's business: lib/db.ts holds the one pool each process uses.
 */
export function createDatabaseClient(
  url: string,
  applicationName: string,
  { max = 10, prepare = true }: { max?: number; prepare?: boolean } = {},
) {
  const sql = postgres(url, {
    max,
    // Named prepared statements for the hot queries; off through a pooler
    // that hands each transaction a different server connection.
    prepare,
    onnotice: () => {},
    // A connection that cannot be made fails fast, so a request can answer
    // 503 instead of hanging while the database is down.
    connect_timeout: 3,
    // Names the process in pg_stat_activity: accepted-web, accepted-worker…
    connection: { application_name: applicationName },
  });
  return { sql, db: drizzle(sql, { schema }) };
}

export type DatabaseClient = ReturnType<typeof createDatabaseClient>;
export type Database = DatabaseClient["db"];
/** A transaction, or the database itself: what a statement that may join a transaction runs on. */
export type Executor = Database | Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * Builds something once per key object and hands the same one back after,
 * forgotten with the key: prepared statements per client (below), a job
 * row's serialized forms per read (lib/http/realtime/messages.ts).
 */
export function oncePer<K extends object, T>(build: (key: K) => T): (key: K) => T {
  const built = new WeakMap<K, T>();
  return (key) => {
    let value = built.get(key);
    if (value === undefined) {
      value = build(key);
      built.set(key, value);
    }
    return value;
  };
}

/** Builds something once per client: for prepared statements, whose query building would otherwise run per call. */
export const oncePerClient = <T>(build: (db: Database) => T): ((db: Database) => T) => oncePer(build);
