import { inArray, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { batches, type Job, jobOwnerQuotas, jobs, jobTypeControls } from "@/db/schema";
import { config } from "@/lib/config";
import { addJobsFrom } from "@/lib/queue/graphile-worker";
import type { JobType } from "../define";
import { fairPriority } from "../fair-share";
import { capRefusal } from "../quotas";
import { jobFromRow } from "./rows";
import { idempotently, requestHash } from "./submit";

export interface BatchItem {
  jobType: JobType;
  input: Record<string, unknown>;
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
  const rows = items.map(({ jobType, input }, ordinal) => ({
    ordinal,
    type: jobType.type,
    input,
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
        as item(ordinal int, type text, input jsonb, max_attempts int, retention_seconds int)
    ), job as (
      insert into ${jobs} (type, input, owner_id, max_attempts, retention_seconds, priority, paused, batch_id)
      select item.type, item.input, ${ownerId}, item.max_attempts, item.retention_seconds,
             ${fairPriority(sql`admitted.ahead + item.ordinal`)}, coalesce(control.paused, false), batch.id
      from item cross join admitted cross join batch left join control on control.type = item.type
      order by item.ordinal
      returning *
    ), queued as (
      select 1 from ${addJobsFrom(sql`job`)}
    )
    select job.* from job where (select count(*) from queued) > 0 order by job.priority limit 1`);
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
  const create = (tx: Executor) => insertBatch(tx, items, ownerId);
  if (!idempotencyKey) return { kind: "created", batchId: batchOf(await create(db)) };
  // Keyed apart from single submits, so one key sent to both endpoints names two requests.
  const hash = requestHash({ batch: items.map((item) => ({ type: item.jobType.type, input: item.input })) });
  const outcome = await idempotently(db, { ownerId, key: `batch:${idempotencyKey}`, hash }, create);
  if (outcome.kind === "key-reused" || outcome.job.batchId === null)
    return { kind: "key-reused", jobId: outcome.job.id };
  return { kind: outcome.kind, batchId: outcome.job.batchId };
}

function batchOf(job: Job): string {
  if (!job.batchId) throw new Error(`job ${job.id} was written without its batch`);
  return job.batchId;
}
