import { and, eq, inArray, isNotNull, ne, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { jobs, jobTypeControls } from "@/db/schema";
import { type Actor, recordAudit } from "@/lib/audit";
import { NotFound } from "@/lib/errors";
import { findJobType, jobTypes } from "./registry";
import { unstartedStates } from "./states";

/**
 * Queue control per job type, as data (job_type_controls): pause and resume,
 * a limit on how many of its jobs run at once across all workers, and an
 * attempt's time limit in place of the type's own (read by worker/time-limits.ts). The
 * worker reads it twice: to skip held types when it fetches (cheap, a
 * second stale at most: worker/held-types.ts) and when it starts a job
 * (exact: lib/jobs/lifecycle/start.ts).
 */

export interface TypeControlChange {
  paused?: boolean;
  /** Null removes the limit. */
  concurrencyLimit?: number | null;
  /** Null returns the type to its declared time limit. */
  timeoutMs?: number | null;
}

export interface TypeQueueState {
  type: string;
  title: string;
  queued: number;
  running: number;
  paused: boolean;
  concurrencyLimit: number | null;
  /** An attempt's time limit now: an admin's, or the type's own. */
  timeoutMs: number;
  /** Whether an admin set it. */
  customTimeout: boolean;
}

/** Every type's queue: queued, running, paused and its limit. The admin overview's table. */
export async function typeQueueStates(db: Database): Promise<TypeQueueState[]> {
  const [counts, controls] = await Promise.all([
    db
      .select({
        type: jobs.type,
        queued: sql<number>`count(*) filter (where ${jobs.state} = 'queued')::int`,
        running: sql<number>`count(*) filter (where ${jobs.state} = 'running')::int`,
      })
      .from(jobs)
      .where(inArray(jobs.state, ["queued", "running"]))
      .groupBy(jobs.type),
    db.select().from(jobTypeControls),
  ]);
  return jobTypes.map((jobType) => {
    const count = counts.find((row) => row.type === jobType.type);
    const control = controls.find((row) => row.type === jobType.type);
    return {
      type: jobType.type,
      title: jobType.title,
      queued: count?.queued ?? 0,
      running: count?.running ?? 0,
      paused: control?.paused ?? false,
      concurrencyLimit: control?.concurrencyLimit ?? null,
      timeoutMs: control?.timeoutMs ?? jobType.timeoutMs,
      customTimeout: control?.timeoutMs != null,
    };
  });
}

/**
 * Pauses or resumes a type, or sets its limit; audited in the same
 * transaction. The type's row is locked for update first, which waits for
 * submits in flight (they share-lock it), so marking its queued jobs
 * paused, or not, catches every one of them.
 */
export async function changeTypeControl(
  db: Database,
  actor: Actor,
  type: string,
  change: TypeControlChange,
): Promise<TypeQueueState> {
  if (!findJobType(type)) throw new NotFound(`There is no job type "${type}".`);
  await db.transaction(async (tx) => {
    await tx.insert(jobTypeControls).values({ type }).onConflictDoNothing();
    const [before] = await tx.select().from(jobTypeControls).where(eq(jobTypeControls.type, type)).for("update");
    await tx
      .update(jobTypeControls)
      .set({ ...change, updatedAt: sql`now()` })
      .where(eq(jobTypeControls.type, type));
    if (change.paused !== undefined && change.paused !== before?.paused) {
      // Each marked job's version moves, so its watchers hear that it is paused (or not).
      await tx
        .update(jobs)
        .set({ paused: change.paused, updatedAt: sql`now()` })
        .where(and(eq(jobs.type, type), inArray(jobs.state, unstartedStates), ne(jobs.paused, change.paused)));
    }
    const actions = [
      ...(change.paused === undefined ? [] : [change.paused ? "pause-type" : "resume-type"]),
      ...(change.concurrencyLimit === undefined ? [] : ["set-type-limit"]),
      ...(change.timeoutMs === undefined ? [] : ["set-type-timeout"]),
    ];
    for (const action of actions) {
      await recordAudit(tx, { actor, action, jobIds: [], detail: { type, ...change } });
    }
  });
  const state = (await typeQueueStates(db)).find((row) => row.type === type);
  if (!state) throw new Error(`type ${type} vanished`);
  return state;
}

/** Makes sure each type has its row, so every submit share-locks one (the worker calls it as it starts). */
export async function ensureTypeControls(db: Database, types: string[]): Promise<void> {
  if (types.length === 0) return;
  await db
    .insert(jobTypeControls)
    .values(types.map((type) => ({ type })))
    .onConflictDoNothing();
}

/**
 * The types whose jobs should not start now: paused, or with as many
 * running as their limit allows.
 */
export async function typesNotToStart(db: Database): Promise<string[]> {
  const rows = await db.execute<{ type: string }>(sql`
    select c.type from ${jobTypeControls} c
    where c.paused or (c.concurrency_limit is not null and c.concurrency_limit <= (
      select count(*) from ${jobs} where ${jobs.type} = c.type and ${jobs.state} = 'running'))`);
  return rows.map((row) => row.type);
}

/** The time limits admins have set, by type (the others keep their declared timeoutMs). */
export async function customTimeouts(db: Database): Promise<Map<string, number>> {
  const rows = await db
    .select({ type: jobTypeControls.type, timeoutMs: jobTypeControls.timeoutMs })
    .from(jobTypeControls)
    .where(isNotNull(jobTypeControls.timeoutMs));
  return new Map(rows.flatMap((row) => (row.timeoutMs === null ? [] : [[row.type, row.timeoutMs] as const])));
}
