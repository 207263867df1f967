import { and, eq, inArray, ne, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { type Database, type Executor, oncePerClient } from "@/db/client";
import { type Job, jobs, jobTypeControls } from "@/db/schema";
import { addJob } from "@/lib/queue/graphile-worker";

/**
 * queued → running, admitted by the type's controls: a paused type's jobs
 * and jobs past the type's concurrency limit (across all workers) do not
 * start; they are held and go back to the queue. The worker skips held
 * types when it fetches (worker/held-types.ts), but that view can be a
 * second old; this is the exact check.
 */

export type StartOutcome =
  | { kind: "started"; job: Job }
  /** Not now: its type is paused, or running as many jobs as its limit allows. */
  | { kind: "held"; reason: "paused" | "at-limit" }
  /** Nothing to run: the job finished already (a duplicate delivery) or no longer exists. */
  | { kind: "gone" };

type Param<T> = T | SQLWrapper;

/** The UPDATE that starts attempt `attempt`; `gated` adds "and its type has no controls that could hold it". */
function startUpdate(db: Executor, p: { id: Param<string>; attempt: Param<number> }, gated: boolean) {
  const typeIsFree: SQL = sql`not exists (select 1 from ${jobTypeControls}
    where ${jobTypeControls.type} = ${jobs.type} and (${jobTypeControls.paused} or ${jobTypeControls.concurrencyLimit} is not null))`;
  return db
    .update(jobs)
    .set({
      state: "running",
      attempts: sql`${p.attempt}::int`,
      // A retry starts over: its bar and message are its own.
      message: sql`case when ${p.attempt}::int > 1 then 'Attempt ' || ${p.attempt}::int || ' started' end`,
      progress: 0,
      paused: false,
      estimatedCompletionAt: null,
      retryAt: null,
      attemptStartedAt: sql`now()`,
      startedAt: sql`coalesce(${jobs.startedAt}, now())`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobs.id, p.id), inArray(jobs.state, ["queued", "running"]), gated ? typeIsFree : undefined))
    .returning();
}

// The hot path, prepared once per client: a job of a type without controls starts in one statement.
const ungatedStart = oncePerClient((db) =>
  startUpdate(db, { id: sql.placeholder("id"), attempt: sql.placeholder("attempt") }, true).prepare("start_attempt"),
);

/** Serialises the starts of one type's jobs while its running jobs are counted. */
const typeStartLock = (type: string) => sql`select pg_advisory_xact_lock(hashtext(${`accepted:start:${type}`}))`;

/**
 * Starts attempt `attempt` of the job, unless its type's controls hold it.
 * A job of a type with a limit starts under a lock per type, after counting
 * that type's running jobs, so the limit holds across every worker.
 */
export async function startAttempt(db: Database, jobId: string, attempt: number): Promise<StartOutcome> {
  const [started] = await ungatedStart(db).execute({ id: jobId, attempt });
  if (started) return { kind: "started", job: started };
  return db.transaction(async (tx): Promise<StartOutcome> => {
    const [job] = await tx.select({ type: jobs.type, state: jobs.state }).from(jobs).where(eq(jobs.id, jobId));
    if (!job || (job.state !== "queued" && job.state !== "running")) return { kind: "gone" };
    // A job whose row still says running was running when its worker died: it goes on, held or not.
    const [control] =
      job.state === "queued" ? await tx.select().from(jobTypeControls).where(eq(jobTypeControls.type, job.type)) : [];
    if (control?.paused) {
      // Normally marked by the pause already; this catches a job queued as the pause was made.
      await tx
        .update(jobs)
        .set({ paused: true, updatedAt: sql`now()` })
        .where(and(eq(jobs.id, jobId), eq(jobs.state, "queued"), eq(jobs.paused, false)));
      return { kind: "held", reason: "paused" };
    }
    if (control?.concurrencyLimit != null) {
      await tx.execute(typeStartLock(job.type));
      const [row] = await tx
        .select({ running: sql<number>`count(*)::int` })
        .from(jobs)
        .where(and(eq(jobs.type, job.type), eq(jobs.state, "running"), ne(jobs.id, jobId)));
      if ((row?.running ?? 0) >= control.concurrencyLimit) return { kind: "held", reason: "at-limit" };
    }
    const [startedNow] = await startUpdate(tx, { id: jobId, attempt }, false);
    return startedNow ? { kind: "started", job: startedNow } : { kind: "gone" };
  });
}

/**
 * Puts a held job back in the queue, to be fetched again after
 * `delaySeconds`, with its priority and without spending an attempt: the
 * entry a worker holds now ends without a retry (see addJob).
 */
export async function requeueHeld(
  db: Database,
  held: {
    type: string;
    jobId: string;
    attemptOffset: number;
    maxAttempts: number;
    priority: number;
    delaySeconds: number;
  },
): Promise<void> {
  const entry = addJob({
    task: held.type,
    jobId: sql`${held.jobId}::uuid`,
    maxAttempts: held.maxAttempts,
    attemptOffset: held.attemptOffset,
    priority: held.priority,
    delaySeconds: held.delaySeconds,
  });
  await db.execute(sql`select ${entry}`);
}
