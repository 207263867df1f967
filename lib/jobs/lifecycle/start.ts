import { and, eq, ne, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { type Job, jobs, jobTypeControls } from "@/db/schema";
import { addJob } from "@/lib/queue/graphile-worker";
import { jobFromRow } from "./submit";

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

/** One start to make: attempt `attempt` of job `jobId`. */
export interface StartRequest {
  jobId: string;
  attempt: number;
}

/**
 * The UPDATE that starts many attempts in one statement (one commit, and
 * one statement text, which postgres.js prepares once); `gated` adds "and
 * its type has no controls that could hold it". Rows come back for the
 * jobs started; the others were held or gone.
 */
async function startRows(db: Executor, requests: StartRequest[], gated: boolean): Promise<Job[]> {
  const typeIsFree = sql`and not exists (select 1 from ${jobTypeControls}
    where ${jobTypeControls.type} = ${jobs}.type and (${jobTypeControls.paused} or ${jobTypeControls.concurrencyLimit} is not null))`;
  const rows = await db.execute(sql`
    update ${jobs} set
      state = 'running',
      attempts = started.attempt,
      -- A retry starts over: its bar and message are its own.
      message = case when started.attempt > 1 then 'Attempt ' || started.attempt || ' started' end,
      progress = 0,
      paused = false,
      estimated_completion_at = null,
      retry_at = null,
      attempt_started_at = now(),
      started_at = coalesce(${jobs}.started_at, now()),
      updated_at = now()
    from unnest(${sql.param(requests.map((request) => request.jobId))}::uuid[],
                ${sql.param(requests.map((request) => request.attempt))}::int[]) as started(id, attempt)
    where ${jobs}.id = started.id and ${jobs}.state in ('queued', 'running') ${gated ? typeIsFree : sql``}
    returning ${jobs}.*`);
  return rows.map(jobFromRow);
}

/** Serialises the starts of one type's jobs while its running jobs are counted. */
const typeStartLock = (type: string) => sql`select pg_advisory_xact_lock(hashtext(${`accepted:start:${type}`}))`;

/**
 * Starts the given attempts, each unless its type's controls hold it. Jobs
 * of types without controls start together in one statement, the hot path;
 * each of the others is decided on its own (see startHeldBack).
 */
export async function startAttempts(db: Database, requests: StartRequest[]): Promise<StartOutcome[]> {
  const started = new Map((await startRows(db, requests, true)).map((job) => [job.id, job]));
  return Promise.all(
    requests.map(async (request): Promise<StartOutcome> => {
      const job = started.get(request.jobId);
      return job ? { kind: "started", job } : startHeldBack(db, request);
    }),
  );
}

/** Starts one attempt, unless its type's controls hold it. */
export async function startAttempt(db: Database, jobId: string, attempt: number): Promise<StartOutcome> {
  const [outcome] = await startAttempts(db, [{ jobId, attempt }]);
  if (!outcome) throw new Error("startAttempts answered nothing");
  return outcome;
}

/**
 * A start the hot path did not make: the job is gone or finished, or its
 * type has controls. A job of a type with a limit starts under a lock per
 * type, after counting that type's running jobs, so the limit holds across
 * every worker.
 */
function startHeldBack(db: Database, { jobId, attempt }: StartRequest): Promise<StartOutcome> {
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
    const [startedNow] = await startRows(tx, [{ jobId, attempt }], false);
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
