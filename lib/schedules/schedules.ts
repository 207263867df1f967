import { and, desc, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { type Schedule, schedules } from "@/db/schema";
import { InvalidInput, NotFound } from "@/lib/errors";
import { lockOwner } from "@/lib/owner-lock";
import { queueScheduleFiring, unqueueScheduleFiring } from "@/lib/queue/graphile-worker";
import { checkTiming, nextFiring } from "./cron";

/**
 * A user's schedules: made, changed, paused, resumed and deleted here, each
 * in one transaction with its queue entry (the pending firing), so the
 * schedule and its firing cannot disagree. The firing itself is fire.ts.
 */

/** The database's clock: every process counts a schedule's next firing from it, whatever its own says. */
export async function databaseNow(db: Executor): Promise<Date> {
  const [row] = await db.execute<{ now: string }>(sql`select iso_time(now()) as now`);
  return new Date(row?.now ?? Date.now());
}

/** The most schedules one user may have: each is a job made every time it fires. */
export const MAX_SCHEDULES_PER_USER = 20;

/** What a schedule is made of, checked already (the type and input as a submit checks them; checkTiming). */
export interface ScheduleSpec {
  type: string;
  input: Record<string, unknown>;
  cron: string;
  timezone: string;
  concurrencyKey: string | null;
}

export async function createSchedule(db: Database, ownerId: string, spec: ScheduleSpec): Promise<Schedule> {
  return db.transaction(async (tx) => {
    // Counted under the owner's lock: concurrent creates, on any web process, cannot pass the cap together.
    await lockOwner(tx, "schedules", ownerId);
    const [{ count } = { count: 0 }] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(schedules)
      .where(eq(schedules.ownerId, ownerId));
    if (count >= MAX_SCHEDULES_PER_USER) {
      throw new InvalidInput(`You have ${count} schedules, the most one user may have.`, [
        { path: [], message: `At most ${MAX_SCHEDULES_PER_USER} schedules; delete one first.` },
      ]);
    }
    const nextRunAt = nextFiring(spec.cron, spec.timezone, await databaseNow(tx));
    const [schedule] = await tx
      .insert(schedules)
      .values({ ...spec, ownerId, nextRunAt })
      .returning();
    if (!schedule) throw new Error("insert into schedules returned no row");
    await queueNext(tx, schedule);
    return schedule;
  });
}

/** The owner's schedules, newest first (at most MAX_SCHEDULES_PER_USER: one page). */
export function listSchedules(db: Database, ownerId: string): Promise<Schedule[]> {
  return db
    .select()
    .from(schedules)
    .where(eq(schedules.ownerId, ownerId))
    .orderBy(desc(schedules.createdAt), desc(schedules.id));
}

/** The owner's schedule, or NotFound: someone else's looks the same as none. */
export async function requireSchedule(db: Executor, ownerId: string, id: string, forUpdate = false): Promise<Schedule> {
  const query = db
    .select()
    .from(schedules)
    .where(and(eq(schedules.id, id), eq(schedules.ownerId, ownerId)));
  const [schedule] = await (forUpdate ? query.for("update") : query);
  if (!schedule) throw new NotFound(`There is no schedule ${id}.`);
  return schedule;
}

export type ScheduleChange = Partial<ScheduleSpec> & { paused?: boolean };

/**
 * Changes a schedule. A new cron or time zone, or a resume, counts from
 * now: the next firing is the first after now (a paused schedule's missed
 * firings are not made up). Pausing takes its pending firing off the queue.
 */
export async function updateSchedule(
  db: Database,
  ownerId: string,
  id: string,
  change: ScheduleChange,
): Promise<Schedule> {
  return db.transaction(async (tx) => {
    const current = await requireSchedule(tx, ownerId, id, true);
    const given = { ...current, ...change };
    // A new cron or zone is checked with the other as it will be, and the zone made canonical.
    const retimed =
      change.cron !== undefined || change.timezone !== undefined ? checkTiming(given.cron, given.timezone) : {};
    const applied = { ...change, ...retimed };
    const next = { ...current, ...applied };
    const timing = next.cron !== current.cron || next.timezone !== current.timezone || next.paused !== current.paused;
    // From now, and never at or before a firing already made (whose run the jobs' index holds).
    const now = await databaseNow(tx);
    const from = current.lastFiredAt && current.lastFiredAt > now ? current.lastFiredAt : now;
    const nextRunAt = next.paused ? null : timing ? nextFiring(next.cron, next.timezone, from) : current.nextRunAt;
    const [updated] = await tx
      .update(schedules)
      .set({ ...applied, nextRunAt, updatedAt: sql`now()` })
      .where(eq(schedules.id, id))
      .returning();
    if (!updated) throw new Error(`schedule ${id} went while locked`);
    if (timing) await queueNext(tx, updated);
    return updated;
  });
}

/** Deletes a schedule and its pending firing; the jobs it made stay, naming it. */
export async function deleteSchedule(db: Database, ownerId: string, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const deleted = await tx
      .delete(schedules)
      .where(and(eq(schedules.id, id), eq(schedules.ownerId, ownerId)))
      .returning({ id: schedules.id });
    if (deleted.length === 0) throw new NotFound(`There is no schedule ${id}.`);
    await unqueueScheduleFiring(tx, id);
  });
}

/** Puts the schedule's next firing in the queue, or takes it out when there is none (paused, or run out). */
export async function queueNext(tx: Executor, schedule: Schedule): Promise<void> {
  if (schedule.nextRunAt) await queueScheduleFiring(tx, schedule.id, schedule.nextRunAt);
  else await unqueueScheduleFiring(tx, schedule.id);
}
