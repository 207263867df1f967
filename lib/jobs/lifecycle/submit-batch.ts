import { inArray, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { batches, type Job, jobOwnerQuotas, jobs, jobTypeControls } from "@/db/schema";
import { config } from "@/lib/config";
import { addJobsFrom, RELEASE_SCHEDULED_TASK } from "@/lib/queue/graphile-worker";
import type { JobType } from "../define";
import { fairPriority } from "../fair-share";
import { capRefusal } from "../quotas";
import { jobFromRow } from "./rows";
import { idempotently, type RunAt, requestHash } from "./submit";

export interface BatchItem {
  jobType: JobType;
  input: Record<string, unknown>;
  /** Not before this: scheduled until then. */
  runAt?: RunAt;
}

export type BatchOutcome =
  | { kind: "created"; batchId: string }
  | { kind: "replayed"; batchId: string }
  /** The key was used before for a different request (a job's or another batch's). */
  | { kind: "key-reused"; jobId: string };

/**
 * queued ← (nothing), for many jobs as one operation: the batch row, every
 * job row and every queue entry in one statement, so all or none. The
 * batch is admitted whole or not at all: it must fit under its owner's cap
 * (the counter row locked, as a single submit does). Its jobs queue a round
 * apart, as the owner's next single jobs would (lib/jobs/fair-share.ts), so
 * a batch of a thousand does not hold another owner's single job back.
 * Returns the first job (the idempotency record names it).
 */
async function insertBatch(db: Executor, items: BatchItem[], ownerId: string | null): Promise<Job> {
  const { JOB_RETENTION_DAYS, MAX_UNFINISHED_JOBS_PER_USER: cap } = config();
  const rows = items.map(({ jobType, input, runAt }, ordinal) => ({
    ordinal,
    type: jobType.type,
    input,
    run_at: runAt instanceof Date ? runAt.toISOString() : null,
    run_in_seconds: runAt && !(runAt instanceof Date) ? runAt.inSeconds : null,
    max_attempts: jobType.maxAttempts,
    retention_seconds: Math.round((jobType.retentionDays ?? JOB_RETENTION_DAYS) * 86_400),
  }));
  const types = [...new Set(rows.map((row) => row.type))];
  const [first] = await db.execute(sql`
    with quota as (
      select ${jobOwnerQuotas.unfinished} as unfinished, ${jobOwnerQuotas.maxUnfinished} as max_unfinished
      from ${jobOwnerQuotas} where ${jobOwnerQuotas.ownerId} = ${ownerId}::text for update
    ), admitted as (
      select coalesce((select unfinished from quota), 0) as ahead
      where ${ownerId}::text is null
         or coalesce((select unfinished + ${items.length}::int <= coalesce(max_unfinished, ${cap}::int) from quota),
                     ${items.length}::int <= ${cap}::int)
    ), control as (
      select ${jobTypeControls.type} as type, ${jobTypeControls.paused} as paused from ${jobTypeControls}
      where ${inArray(jobTypeControls.type, types)} for key share
    ), batch as (
      insert into ${batches} (owner_id, size) select ${ownerId}, ${items.length}::int from admitted returning id
    ), item as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as item(ordinal int, type text, input jsonb, run_at timestamptz, run_in_seconds float8, max_attempts int,
                retention_seconds int)
    ), timed as (
      select item.*, coalesce(item.run_at, now() + make_interval(secs => item.run_in_seconds)) as starts_at from item
    ), job as (
      insert into ${jobs} (type, input, owner_id, max_attempts, retention_seconds, priority, paused, batch_id, state, run_at)
      select item.type, item.input, ${ownerId}, item.max_attempts, item.retention_seconds,
             ${fairPriority(sql`admitted.ahead + item.ordinal`)}, coalesce(control.paused, false), batch.id,
             case when item.starts_at > now() then 'scheduled' else 'queued' end::job_state, item.starts_at
      from timed as item cross join admitted cross join batch left join control on control.type = item.type
      order by item.ordinal
      returning *
    ), queued as (
      select 1 from ${addJobsFrom(sql`job`)}
    ), announced as (
      -- The releases' times, the first hundred: a worker wakes for each (later ones are found by its poll meanwhile).
      select announce_due(${RELEASE_SCHEDULED_TASK}::text, due.run_at)
      from (select distinct job.run_at from job where job.state = 'scheduled' order by 1 limit 100) as due
    )
    select job.* from job where (select count(*) from queued) + (select count(*) from announced) > 0
    order by job.priority limit 1`);
  if (!first) {
    if (ownerId === null) throw new Error("the batch insert wrote nothing");
    throw await capRefusal(db, ownerId, items.length);
  }
  return jobFromRow(first);
}

/**
 * Submits a batch: validated by the caller first (every item), then written
 * whole. With an Idempotency-Key, a repeat of the same batch returns the
 * batch the first one made.
 */
export async function submitBatch(
  db: Database,
  submit: { items: BatchItem[]; ownerId: string | null; idempotencyKey?: string },
): Promise<BatchOutcome> {
  const { items, ownerId, idempotencyKey } = submit;
  const create = async (tx: Executor) => ({ kind: "created" as const, job: await insertBatch(tx, items, ownerId) });
  if (!idempotencyKey) return { kind: "created", batchId: batchOf((await create(db)).job) };
  // Keyed apart from single submits, so one key sent to both endpoints names two requests.
  const hash = requestHash({
    batch: items.map((item) => ({
      type: item.jobType.type,
      input: item.input,
      ...(item.runAt ? { runAt: item.runAt instanceof Date ? item.runAt.toISOString() : item.runAt } : {}),
    })),
  });
  const outcome = await idempotently(db, { ownerId, key: `batch:${idempotencyKey}`, hash }, create);
  if (outcome.kind === "key-reused" || outcome.kind === "existing" || outcome.job.batchId === null)
    return { kind: "key-reused", jobId: outcome.job.id };
  return { kind: outcome.kind, batchId: outcome.job.batchId };
}

function batchOf(job: Job): string {
  if (!job.batchId) throw new Error(`job ${job.id} was written without its batch`);
  return job.batchId;
}
