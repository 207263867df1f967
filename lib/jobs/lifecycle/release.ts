import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { jobs } from "@/db/schema";
import { addJob } from "@/lib/queue/graphile-worker";
import { fairPriority, unfinishedOf } from "../fair-share";

/**
 * scheduled → queued, when its runAt has come (the release graphile-worker
 * runs then: worker/timed-tasks.ts). The job takes the round being served
 * now, as a job submitted now would (lib/jobs/fair-share.ts), not the one
 * of its submit, which may be long past or far ahead by then; and its own
 * queue entry takes the place of the release (the same key). One
 * statement; a job cancelled meanwhile, or released already (a release run
 * again after its worker died), is left as it is. Returns whether it moved.
 */
export async function releaseScheduled(db: Executor, jobId: string): Promise<boolean> {
  const rows = await db.execute(sql`
    with released as (
      update ${jobs} set
        state = 'queued',
        -- Its owner's other unfinished jobs are ahead of it (this one is counted among them already).
        priority = ${fairPriority(sql`greatest(${unfinishedOf(sql`${jobs}.owner_id`)} - 1, 0)`)},
        updated_at = now()
      where ${jobs}.id = ${jobId}::uuid and ${jobs}.state = 'scheduled'
      returning ${jobs}.id, ${jobs}.type, ${jobs}.max_attempts, ${jobs}.priority
    )
    select ${addJob({ task: sql`released.type`, jobId: sql`released.id`, maxAttempts: sql`released.max_attempts`, priority: sql`released.priority` })}
    from released`);
  return rows.length > 0;
}
