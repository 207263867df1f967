import { and, eq, ne, sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { type Job, jobs, jobTypeControls } from "@/db/schema";
import { addJob } from "@/lib/queue/graphile-worker";
import { jobFromRow } from "./rows";

/**
 * queued → running, admitted by the type's controls: a paused type's jobs
 * and jobs past the type's concurrency limit (across all workers) do not
 * start; they are held and go back to the queue. The worker skips held
 * types when it fetches (worker/held-types.ts), but that view can be a
 * second old; this is the exact check.
 *
 * A job of a type without controls need not say "running" before it has
 * run a moment: the worker reads it (beginAttempts), runs it, and writes
 * the start only if the attempt outlives PROGRESS_WRITE_INTERVAL_MS
 * (writeDeferredStarts); a quicker one goes from queued to succeeded in
 * its completion (attempts.ts). Most jobs so cost one write fewer: a row
 * version, its index entries, a NOTIFY and a commit.
 */

export type StartOutcome =
  | { kind: "started"; job: Job }
  /** Runs now; its row says queued until the start is written (or the completion is). */
  | { kind: "deferred"; job: Job }
  /** Not now: its type is paused, or running as many jobs as its limit allows. */
  | { kind: "held"; reason: "paused" | "at-limit" }
  /** Nothing to run: the job finished already (a duplicate delivery) or no longer exists. */
  | { kind: "gone" };

/** One start to make: attempt `attempt` of job `jobId`. */
export interface StartRequest {
  jobId: string;
  attempt: number;
}

/** A start written after the attempt began, `elapsedMs` ago (measured on the database's clock from then). */
export interface DeferredStart extends StartRequest {
  elapsedMs: number;
}

/**
 * The UPDATE that starts many attempts in one statement (one commit, and
 * one statement text, which postgres.js prepares once). `gated` adds "and
 * its type has no controls that could hold it"; `deferred` starts attempts
 * already under way, whose rows still say queued with the attempt before.
 * Rows come back for the jobs started; the others were held or gone.
 */
async function startRows(
  db: Executor,
  requests: (StartRequest & { elapsedMs?: number })[],
  { gated, deferred }: { gated: boolean; deferred: boolean },
): Promise<Job[]> {
  const typeIsFree = sql`and not exists (select 1 from ${jobTypeControls}
    where ${jobTypeControls.type} = ${jobs}.type and (${jobTypeControls.paused} or ${jobTypeControls.concurrencyLimit} is not null))`;
  const which = deferred
    ? sql`${jobs}.state = 'queued' and ${jobs}.attempts = started.attempt - 1`
    : sql`${jobs}.state in ('queued', 'running')`;
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
      attempt_started_at = now() - make_interval(secs => started.elapsed_ms / 1000.0),
      started_at = coalesce(${jobs}.started_at, now() - make_interval(secs => started.elapsed_ms / 1000.0)),
      updated_at = now()
    from unnest(${sql.param(requests.map((request) => request.jobId))}::uuid[],
                ${sql.param(requests.map((request) => request.attempt))}::int[],
                ${sql.param(requests.map((request) => request.elapsedMs ?? 0))}::int[]) as started(id, attempt, elapsed_ms)
    where ${jobs}.id = started.id and ${which} ${gated ? typeIsFree : sql``}
    returning ${jobs}.*`);
  return rows.map(jobFromRow);
}

/**
 * Begins many attempts with one read instead of a write: each job of a type
 * without controls whose row says queued runs deferred; the others (a type
 * with controls, a row still running from a dead worker's attempt) start as
 * startAttempts does, and a finished or missing job is gone.
 */
export async function beginAttempts(db: Database, requests: StartRequest[]): Promise<StartOutcome[]> {
  const rows = await db.execute(sql`
    select ${jobs}.*, exists (select 1 from ${jobTypeControls} where ${jobTypeControls.type} = ${jobs}.type
      and (${jobTypeControls.paused} or ${jobTypeControls.concurrencyLimit} is not null)) as controlled
    from ${jobs} where ${jobs}.id = any(${sql.param(requests.map((request) => request.jobId))}::uuid[])`);
  const found = new Map(
    rows.map((row) => [String(row.id), { job: jobFromRow(row), controlled: row.controlled === true }]),
  );
  const eager: StartRequest[] = [];
  const outcomes = requests.map((request): StartOutcome | null => {
    const row = found.get(request.jobId);
    if (!row || (row.job.state !== "queued" && row.job.state !== "running")) return { kind: "gone" };
    if (row.job.state === "queued" && !row.controlled && !row.job.paused) return { kind: "deferred", job: row.job };
    eager.push(request);
    return null;
  });
  const started = eager.length > 0 ? await startAttempts(db, eager) : [];
  return outcomes.map((outcome) => outcome ?? (started.shift() as StartOutcome));
}

/**
 * Writes the starts of attempts that began deferred and are still going
 * (or whose worker died: recovery.ts). A job cancelled meanwhile, or whose
 * attempt already ended, is left as it is.
 */
export async function writeDeferredStarts(db: Executor, starts: DeferredStart[]): Promise<Job[]> {
  if (starts.length === 0) return [];
  return startRows(db, starts, { gated: false, deferred: true });
}

/** Serialises the starts of one type's jobs while its running jobs are counted. */
const typeStartLock = (type: string) => sql`select pg_advisory_xact_lock(hashtext(${`accepted:start:${type}`}))`;

/**
 * Starts the given attempts, each unless its type's controls hold it. Jobs
 * of types without controls start together in one statement, the hot path;
 * each of the others is decided on its own (see startHeldBack).
 */
export async function startAttempts(db: Database, requests: StartRequest[]): Promise<StartOutcome[]> {
  const started = new Map(
    (await startRows(db, requests, { gated: true, deferred: false })).map((job) => [job.id, job]),
  );
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
    const [startedNow] = await startRows(tx, [{ jobId, attempt }], { gated: false, deferred: false });
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
