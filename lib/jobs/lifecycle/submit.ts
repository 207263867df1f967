import { createHash } from "node:crypto";
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { idempotencyKeys, type Job, jobOwnerQuotas, jobs, jobTypeControls } from "@/db/schema";
import { config } from "@/lib/config";
import { addJob, addRelease, RELEASE_SCHEDULED_TASK } from "@/lib/queue/graphile-worker";
import { currentTraceparent } from "@/lib/tracing";
import type { JobType } from "../define";
import { fairPriority } from "../fair-share";
import { capRefusal } from "../quotas";
import { jobFromRow } from "./rows";

/**
 * When a job may start: an instant, or a delay counted on the database's
 * clock when the job is written. Kept as sent, so a repeat of the request
 * (an Idempotency-Key's retry) is the same request.
 */
export type RunAt = Date | { inSeconds: number };

/** The instant `runAt` names, as an SQL expression evaluated in the statement that writes the job. */
export const runAtExpression = (runAt: RunAt) =>
  runAt instanceof Date
    ? sql`${runAt.toISOString()}::timestamptz`
    : sql`now() + make_interval(secs => ${runAt.inSeconds}::float8)`;

/** How the request hash records `runAt`: as it was sent. */
const runAtAsSent = (runAt: RunAt) => (runAt instanceof Date ? runAt.toISOString() : runAt);

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
  /** Not before this: the job is scheduled until then (a time past means at once). */
  runAt?: RunAt;
  /** While a job of this owner with this key is unfinished, submitting again answers with that job. */
  concurrencyKey?: string;
  /** The schedule whose firing this is (lib/schedules/fire.ts). */
  scheduleId?: string;
}

export type SubmitOutcome =
  | { kind: "created"; job: Job }
  /** An unfinished job of the owner's holds the concurrency key: that job, and nothing written. */
  | { kind: "existing"; job: Job }
  /** The key was used before for this same request: the job it made. */
  | { kind: "replayed"; job: Job }
  /** The key was used before for a different request. */
  | { kind: "key-reused"; job: Job };

/** How long an Idempotency-Key is remembered. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;
const keyExpired = sql`${idempotencyKeys.createdAt} <= now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})`;

/**
 * queued | scheduled ← (nothing): the one way a job comes to exist. The row
 * and its graphile-worker job are written by one statement, so one round
 * trip and atomic like any single statement; inside a transaction when the
 * submit also claims an Idempotency-Key.
 *
 * The same statement admits the job: it locks its owner's counter row and
 * inserts nothing when the owner is at their cap. It gives the job its fair
 * priority, and marks it paused when its type is: the type's row is
 * share-locked, so a pause (which locks it for update, then marks the
 * queued jobs) sees this job. A job with a runAt ahead is scheduled: what
 * waits in the queue is its release at runAt (release.ts), which queues it
 * then with its fair priority as of then; the workers are told when it is due.
 * With a concurrency key, an unfinished job holding it makes the insert do
 * nothing. Returns null when nothing was inserted (the cap, or the key).
 */
async function insertAndEnqueue(db: Executor, submit: SubmitJob): Promise<Job | null> {
  const { jobType, input, ownerId, notifyWhenDone = false, startBy, runAt, concurrencyKey, scheduleId } = submit;
  const { JOB_RETENTION_DAYS, MAX_UNFINISHED_JOBS_PER_USER } = config();
  const retentionSeconds = Math.round((jobType.retentionDays ?? JOB_RETENTION_DAYS) * 86_400);
  const enqueue = addJob({
    task: jobType.type,
    jobId: sql`job.id`,
    maxAttempts: jobType.maxAttempts,
    priority: sql`job.priority`,
  });
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
      insert into ${jobs} (type, input, owner_id, max_attempts, retention_seconds, priority, paused, notify_when_done,
                           start_by, trace_parent${runAt ? sql`, state, run_at` : sql``}${concurrencyKey ? sql`, concurrency_key` : sql``}${scheduleId ? sql`, schedule_id` : sql``})
      select ${jobType.type}, ${JSON.stringify(input)}::jsonb, ${ownerId}, ${jobType.maxAttempts}, ${retentionSeconds},
             ${fairPriority(sql`admitted.ahead`)}, coalesce((select paused from control), false), ${notifyWhenDone},
             ${startBy?.toISOString() ?? null}::timestamptz, ${currentTraceparent()}${
               runAt
                 ? sql`, case when ${runAtExpression(runAt)} > now() then 'scheduled' else 'queued' end::job_state, ${runAtExpression(runAt)}`
                 : sql``
             }${concurrencyKey ? sql`, ${concurrencyKey}::text` : sql``}${scheduleId ? sql`, ${scheduleId}::uuid` : sql``}
      from admitted
      ${
        // Only a keyed insert pays for ON CONFLICT (a speculative insertion writes one more WAL record).
        concurrencyKey
          ? sql`on conflict (owner_id, concurrency_key) where concurrency_key is not null and finished_at is null do nothing`
          : sql``
      }
      returning *
    ), queued as (
      ${
        runAt
          ? // A runAt ahead: its release is queued for then, and the workers told when it is due.
            sql`select case when job.state = 'scheduled' then (${addRelease(sql`job.id`, sql`job.run_at`)}).id
                            else (${enqueue}).id end,
                       announce_due(${RELEASE_SCHEDULED_TASK}::text, job.run_at)
                from job`
          : sql`select ${enqueue} from job`
      }
    )
    select job.* from job, queued`);
  return row ? jobFromRow(row) : null;
}

/** The owner's unfinished job that holds this concurrency key, if any. */
async function keyHolder(db: Executor, ownerId: string | null, concurrencyKey: string): Promise<Job | null> {
  if (ownerId === null) return null;
  const [holder] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.ownerId, ownerId), eq(jobs.concurrencyKey, concurrencyKey), isNull(jobs.finishedAt)));
  return holder ?? null;
}

/**
 * Writes a job, or finds the unfinished one holding its concurrency key.
 * Of concurrent submits with one key, one inserts; the others' inserts
 * wait for it, do nothing, and then find it. A holder that finished just
 * then frees the key: the insert is tried again.
 */
export async function createJob(db: Executor, submit: SubmitJob): Promise<{ kind: "created" | "existing"; job: Job }> {
  const { ownerId, concurrencyKey } = submit;
  for (let tries = 0; tries < 3; tries++) {
    const holder = concurrencyKey ? await keyHolder(db, ownerId, concurrencyKey) : null;
    if (holder) return { kind: "existing", job: holder };
    const job = await insertAndEnqueue(db, submit);
    if (job) return { kind: "created", job };
    if (ownerId === null) throw new Error("insert into jobs returned no row");
    // Nothing inserted: the owner is at their cap, or (with a key) a job took it meanwhile.
    if (!concurrencyKey) break;
    const after = await keyHolder(db, ownerId, concurrencyKey);
    if (after) return { kind: "existing", job: after };
    // Neither holds now: the cap, or a holder that finished just after it blocked the insert. Try again.
  }
  throw await capRefusal(db, ownerId as string);
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
  create: (tx: Executor) => Promise<{ kind: "created" | "existing"; job: Job }>,
): Promise<SubmitOutcome> {
  const { ownerId, key, hash } = claim;
  const earlier = await findByKey(db, ownerId, key, hash);
  if (earlier) return earlier;
  try {
    return await db.transaction(async (tx) => {
      const created = await create(tx);
      // The unfinished job holding the concurrency key answered: nothing was made for the key to name.
      if (created.kind === "existing") return created;
      const { job } = created;
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
      return created;
    });
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
  const { jobType, input, ownerId, idempotencyKey, notifyWhenDone = false, startBy, runAt, concurrencyKey } = submit;
  const create = (tx: Executor) => createJob(tx, submit);
  if (!idempotencyKey) return create(db);
  // Asking to be told, a start by or at a time, a concurrency key: part of the request; another choice is another request.
  const hash = requestHash({
    type: jobType.type,
    input,
    ...(notifyWhenDone ? { notifyWhenDone } : {}),
    ...(startBy ? { startBy: startBy.toISOString() } : {}),
    ...(runAt ? { runAt: runAtAsSent(runAt) } : {}),
    ...(concurrencyKey ? { concurrencyKey } : {}),
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
