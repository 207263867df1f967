import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { testRecord } from "@/lib/jobs/types/testing/record";
import { defineHandler } from "@/worker/handler";

let tableReady: Promise<unknown> | undefined;

/**
 * test_effects belongs to the tests, not the production schema: it exists
 * once a test.record job has run (which only happens with
 * ACCEPTED_TEST_JOB_TYPES=1). Created once per process, harmlessly again.
 */
export function ensureTestEffectsTable(db: Database) {
  tableReady ??= db
    .execute(sql`create table if not exists test_effects (
    id bigserial primary key, job_id uuid not null, attempt int not null, recorded_at timestamptz not null default now())`)
    .catch((error) => {
      tableReady = undefined; // a lost connection: the next job asks again
      throw error;
    });
  return tableReady;
}

/** One row in test_effects per run: counting them proves how many times jobs really ran. */
export default defineHandler(testRecord, async ({ jobId, attempt, db, progress }) => {
  await ensureTestEffectsTable(db);
  await db.execute(sql`insert into test_effects (job_id, attempt) values (${jobId}::uuid, ${attempt})`);
  progress(100, "Effect recorded");
  return { kind: "json", value: { recorded: true } };
});
