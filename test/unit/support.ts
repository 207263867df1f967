import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { createDatabaseClient, type Database } from "@/db/client";
import { type Job, jobs } from "@/db/schema";

/**
 * The unit tests' database: a real, migrated PostgreSQL that `npm test`
 * (scripts/unit-tests.ts) makes for them and names in UNIT_DATABASE_URL.
 * Tests share it, so each works on rows of its own (a fresh owner id).
 */
export function unitDatabase(): { db: Database; close(): Promise<void> } {
  const url = process.env.UNIT_DATABASE_URL;
  if (!url) throw new Error("UNIT_DATABASE_URL is not set: run the unit tests with `npm run test:unit` or `npm test`.");
  const client = createDatabaseClient(url, "accepted-unit-tests");
  return { db: client.db, close: () => client.sql.end({ timeout: 5 }) };
}

export const newOwner = () => `owner-${randomUUID()}`;

/** graphile-worker's queue entry for our job, if there is one. */
export async function queueEntry(db: Database, jobId: string) {
  const [row] = await db.execute<{
    task_identifier: string;
    payload: unknown;
    max_attempts: number;
    locked_by: string;
  }>(
    sql`select t.identifier as task_identifier, j.payload, j.max_attempts, j.locked_by from graphile_worker._private_jobs j
        join graphile_worker._private_tasks t on t.id = j.task_id where j.key = ${jobId}`,
  );
  return row ?? null;
}

/** Locks our job's queue entry as a worker pool `poolId` would, `ageSeconds` ago. */
export async function lockAs(db: Database, jobId: string, poolId: string, ageSeconds: number): Promise<void> {
  await db.execute(sql`update graphile_worker._private_jobs
    set locked_by = ${poolId}, locked_at = now() - make_interval(secs => ${ageSeconds}), attempts = attempts + 1
    where key = ${jobId}`);
}

export async function readJob(db: Database, id: string): Promise<Job> {
  const [job] = await db.select().from(jobs).where(sql`${jobs.id} = ${id}`);
  if (!job) throw new Error(`no job ${id}`);
  return job;
}
