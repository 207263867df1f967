import { createHash } from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { idempotencyKeys, type Job, jobOwnerQuotas, jobs, jobTypeControls } from "@/db/schema";
import { config } from "@/lib/config";
import { addJob } from "@/lib/queue/graphile-worker";
import { currentTraceparent } from "@/lib/tracing";
import type { JobType } from "../define";
import { fairPriority } from "../fair-share";
import { capRefusal } from "../quotas";
import { jobFromRow } from "./rows";

export interface SubmitJob {
  jobType: JobType;
  input: Record<string, unknown>;
  /** Who submits it; null for a job no user owns (only admins see those). */
  ownerId: string | null;
  /** The client's Idempotency-Key, if it sent one. */
  idempotencyKey?: string;
  /** Email the owner when it finishes. */
  notifyWhenDone?: boolean;
  /** Cancel it rather than start it after this (lib/jobs/lifecycle/start-by.ts). */
  startBy?: Date;
}

export type SubmitOutcome =
  | { kind: "created"; job: Job }
  /** The key was used before for this same request: the job it made. */
  | { kind: "replayed"; job: Job }
  /** The key was used before for a different request. */
  | { kind: "key-reused"; job: Job };

/** How long an Idempotency-Key is remembered. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;
const keyExpired = sql`${idempotencyKeys.createdAt} <= now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})`;

/**
 * queued ← (nothing): the one way a job comes to exist. The row and its
 * graphile-worker job are written by one statement, so one round trip and
 * atomic like any single statement; inside a transaction when the
 * submit also claims an Idempotency-Key.
 *
 * The same statement admits the job: it locks its owner's counter row and
 * inserts nothing when the owner is at their cap (UnfinishedJobsCapReached,
 * with nothing written). It gives the job its fair priority, and marks it
 * paused when its type is: the type's row is share-locked, so a pause
 * (which locks it for update, then marks the queued jobs) sees this job.
 */
async function insertAndEnqueue(
  db: Executor,
  jobType: JobType,
  input: Record<string, unknown>,
  ownerId: string | null,
  notifyWhenDone: boolean,
  startBy: Date | null,
): Promise<Job> {
  const { JOB_RETENTION_DAYS, MAX_UNFINISHED_JOBS_PER_USER } = config();
  const retentionSeconds = Math.round((jobType.retentionDays ?? JOB_RETENTION_DAYS) * 86_400);
  const [row] = await db.execute(sql`
    with quota as (
      select ${jobOwnerQuotas.unfinished} as unfinished, ${jobOwnerQuotas.maxUnfinished} as max_unfinished
      from ${jobOwnerQuotas} where ${jobOwnerQuotas.ownerId} = ${ownerId}::text for update
    ), control as (
      select ${jobTypeControls.paused} as paused from ${jobTypeControls}
      where ${jobTypeControls.type} = ${jobType.type} for key share
    ), admitted as (
      select coalesce((select unfinished from quota), 0) as ahead
      where ${ownerId}::text is null
         or coalesce((select unfinished < coalesce(max_unfinished, ${MAX_UNFINISHED_JOBS_PER_USER}::int) from quota), true)
    ), job as (
      insert into ${jobs} (type, input, owner_id, max_attempts, retention_seconds, priority, paused, notify_when_done, start_by, trace_parent)
      select ${jobType.type}, ${JSON.stringify(input)}::jsonb, ${ownerId}, ${jobType.maxAttempts}, ${retentionSeconds},
             ${fairPriority(sql`admitted.ahead`)}, coalesce((select paused from control), false), ${notifyWhenDone},
             ${startBy?.toISOString() ?? null}::timestamptz, ${currentTraceparent()}
      from admitted
      returning *
    ), queued as (
      select ${addJob({ task: jobType.type, jobId: sql`job.id`, maxAttempts: jobType.maxAttempts, priority: sql`job.priority` })} from job
    )
    select job.* from job, queued`);
  if (!row) {
    if (ownerId === null) throw new Error("insert into jobs returned no row");
    throw await capRefusal(db, ownerId);
  }
  return jobFromRow(row);
}

class KeyTaken extends Error {}

// Keys are per owner; a job no user owns keys under "".
const ownerKeyOf = (ownerId: string | null) => ownerId ?? "";

/** Hash of what a request asks for, after validation: the same request hashes the same. */
export function requestHash(request: unknown): string {
  return createHash("sha256").update(JSON.stringify(request)).digest("hex");
}

async function findByKey(
  db: Database,
  ownerId: string | null,
  key: string,
  hash: string,
): Promise<SubmitOutcome | null> {
  const [found] = await db
    .select({ job: jobs, requestHash: idempotencyKeys.requestHash })
    .from(idempotencyKeys)
    .innerJoin(jobs, eq(jobs.id, idempotencyKeys.jobId))
    .where(
      and(eq(idempotencyKeys.ownerKey, ownerKeyOf(ownerId)), eq(idempotencyKeys.key, key), sql`not (${keyExpired})`),
    );
  if (!found) return null;
  return { kind: found.requestHash === hash ? "replayed" : "key-reused", job: found.job };
}

/**
 * Runs `create` (which writes a job, and returns it or the first of several)
 * under an Idempotency-Key: a repeat of the same request (`hash`) returns the
 * job the first one made; of two concurrent requests with one key, the
 * second waits on the first's key row and then finds it.
 */
export async function idempotently(
  db: Database,
  claim: { ownerId: string | null; key: string; hash: string },
  create: (tx: Executor) => Promise<Job>,
): Promise<SubmitOutcome> {
  const { ownerId, key, hash } = claim;
  const earlier = await findByKey(db, ownerId, key, hash);
  if (earlier) return earlier;
  try {
    const job = await db.transaction(async (tx) => {
      const job = await create(tx);
      const ownerKey = ownerKeyOf(ownerId);
      const thisKey = and(eq(idempotencyKeys.ownerKey, ownerKey), eq(idempotencyKeys.key, key));
      // An expired record of this key no longer counts; it makes way.
      await tx.delete(idempotencyKeys).where(and(thisKey, keyExpired));
      const claimed = await tx
        .insert(idempotencyKeys)
        .values({ ownerKey, key, requestHash: hash, jobId: job.id })
        .onConflictDoNothing()
        .returning({ key: idempotencyKeys.key });
      if (claimed.length === 0) throw new KeyTaken(); // rolls back what create wrote
      return job;
    });
    return { kind: "created", job };
  } catch (error) {
    if (!(error instanceof KeyTaken)) throw error;
    const winner = await findByKey(db, ownerId, key, hash);
    if (!winner) throw new Error("Idempotency-Key conflict, but no record of it");
    return winner;
  }
}

/**
 * Writes the job row and its graphile-worker job: either both exist or
 * neither does; with an Idempotency-Key, see idempotently.
 */
export async function submitJob(db: Database, submit: SubmitJob): Promise<SubmitOutcome> {
  const { jobType, input, ownerId, idempotencyKey, notifyWhenDone = false, startBy } = submit;
  const create = (tx: Executor) => insertAndEnqueue(tx, jobType, input, ownerId, notifyWhenDone, startBy ?? null);
  if (!idempotencyKey) return { kind: "created", job: await create(db) };
  // Asking to be told, or for a start by a time, is part of the request: another choice is a different request.
  const hash = requestHash({
    type: jobType.type,
    input,
    ...(notifyWhenDone ? { notifyWhenDone } : {}),
    ...(startBy ? { startBy: startBy.toISOString() } : {}),
  });
  return idempotently(db, { ownerId, key: idempotencyKey, hash }, create);
}

/** Forgets Idempotency-Keys past their time; the scheduled housekeeping calls it. Returns how many. */
export async function forgetExpiredIdempotencyKeys(db: Database): Promise<number> {
  const forgotten = await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})`))
    .returning({ key: idempotencyKeys.key });
  return forgotten.length;
}
