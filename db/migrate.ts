import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { runMigrations as installWorkerSchema, Logger } from "graphile-worker";
import postgres from "postgres";
import { applySqlDefinitions } from "./functions";

// graphile-worker logs every migration step; start-up output stays quiet.
const silentWorkerLogger = new Logger(() => () => {});

// Any constant works; it only has to be the same in every process of ours.
const MIGRATION_LOCK_KEY = 730_120_202;

/**
 * Applies our drizzle migrations, installs graphile-worker's schema, then
 * our SQL functions and triggers (db/functions), which call into it.
 * Web and worker both call this at start; a session-level advisory lock makes
 * the one that comes second wait and then find nothing left to do.
 */
export async function migrateDatabase(url: string): Promise<void> {
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  const lockHolder = await sql.reserve();
  try {
    await lockHolder`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migrate(drizzle(sql), { migrationsFolder: path.resolve(process.cwd(), "db/migrations") });
    await installWorkerSchema({ connectionString: url, logger: silentWorkerLogger });
    await applySqlDefinitions(sql);
    await lockHolder`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    lockHolder.release();
    await sql.end({ timeout: 5 });
  }
}
