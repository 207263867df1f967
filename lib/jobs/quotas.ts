import { and, desc, eq, gt, isNotNull, or, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { jobOwnerQuotas, jobs, users } from "@/db/schema";
import { type Actor, recordAudit } from "@/lib/audit";
import { config } from "@/lib/config";
import { NotFound, UnfinishedJobsCapReached } from "@/lib/errors";

/**
 * Each user's cap on unfinished (scheduled, queued or running) jobs. The count is kept
 * by a trigger on jobs (the fair_sharing migration); the submit checks it
 * under a row lock (lib/jobs/lifecycle/submit.ts). This module reads it and
 * lets an admin set one user's cap.
 */

export interface OwnerUsage {
  unfinished: number;
  /** The cap that applies: the user's own, or MAX_UNFINISHED_JOBS_PER_USER. */
  cap: number;
  /** Whether an admin set this user's cap (rather than the default). */
  customCap: boolean;
}

const capOf = (maxUnfinished: number | null) => maxUnfinished ?? config().MAX_UNFINISHED_JOBS_PER_USER;

export async function ownerUsage(db: Executor, ownerId: string): Promise<OwnerUsage> {
  const [row] = await db.select().from(jobOwnerQuotas).where(eq(jobOwnerQuotas.ownerId, ownerId));
  return {
    unfinished: row?.unfinished ?? 0,
    cap: capOf(row?.maxUnfinished ?? null),
    customCap: row?.maxUnfinished != null,
  };
}

// Retry-After for a refused submit: never sooner than this, never later than that.
const RETRY_AFTER_BOUNDS = { min: 5, max: 600, unknown: 60 };

/**
 * Why a submit of `asked` jobs was refused: the owner's cap and count, and
 * when a place is likely to be free (the soonest estimated finish among
 * their running jobs).
 */
export async function capRefusal(db: Executor, ownerId: string, asked = 1): Promise<UnfinishedJobsCapReached> {
  const usage = await ownerUsage(db, ownerId);
  const [soonest] = await db
    .select({ seconds: sql<number | null>`extract(epoch from min(${jobs.estimatedCompletionAt}) - now())::float8` })
    .from(jobs)
    .where(and(eq(jobs.ownerId, ownerId), eq(jobs.state, "running")));
  const seconds = soonest?.seconds;
  const retryAfter =
    seconds == null
      ? RETRY_AFTER_BOUNDS.unknown
      : Math.min(RETRY_AFTER_BOUNDS.max, Math.max(RETRY_AFTER_BOUNDS.min, Math.ceil(seconds)));
  return new UnfinishedJobsCapReached(usage.cap, usage.unfinished, retryAfter, asked);
}

/** One user's cap, as an admin sets it: a number, or null for the default. Audited with the change. */
export async function setOwnerCap(
  db: Database,
  actor: Actor,
  userId: string,
  maxUnfinished: number | null,
): Promise<OwnerUsage & { userId: string; email: string }> {
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, userId));
    if (!user) throw new NotFound(`There is no user ${userId}.`);
    await tx
      .insert(jobOwnerQuotas)
      .values({ ownerId: userId, maxUnfinished })
      .onConflictDoUpdate({ target: jobOwnerQuotas.ownerId, set: { maxUnfinished } });
    await recordAudit(tx, {
      actor,
      action: "set-job-cap",
      jobIds: [],
      detail: { userId, email: user.email, maxUnfinishedJobs: maxUnfinished },
    });
    return { userId, email: user.email, ...(await ownerUsage(tx, userId)) };
  });
}

/** The owners with the most unfinished jobs, and everyone with a cap of their own: the admin overview's list. */
export async function ownersByUsage(db: Database, limit: number) {
  const rows = await db
    .select({
      userId: jobOwnerQuotas.ownerId,
      email: users.email,
      unfinished: jobOwnerQuotas.unfinished,
      maxUnfinished: jobOwnerQuotas.maxUnfinished,
    })
    .from(jobOwnerQuotas)
    .leftJoin(users, eq(users.id, jobOwnerQuotas.ownerId))
    .where(or(gt(jobOwnerQuotas.unfinished, 0), isNotNull(jobOwnerQuotas.maxUnfinished)))
    .orderBy(desc(jobOwnerQuotas.unfinished), jobOwnerQuotas.ownerId)
    .limit(limit);
  return rows.map((row) => ({
    userId: row.userId,
    email: row.email,
    unfinished: row.unfinished,
    cap: capOf(row.maxUnfinished),
    customCap: row.maxUnfinished !== null,
  }));
}
