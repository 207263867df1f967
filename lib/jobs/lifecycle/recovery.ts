import { and, inArray, lt, notInArray, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { workerHeartbeats } from "@/db/schema";
import { forceUnlockWorkers, lockedJobs, lockHoldersSince, removeJob } from "@/lib/queue/graphile-worker";
import { JOB_FAILED, recordAttemptFailure } from "./attempts";
import { writeDeferredStarts } from "./start";

/**
 * Dead-worker recovery. graphile-worker leaves a job locked for 4 hours
 * when its worker dies without a word (kill -9, a lost machine); every live
 * worker beats (worker/heartbeat.ts) and, as any of them may, finds pools
 * gone silent and hands their jobs on.
 */

const INTERRUPTED = "The worker running this attempt stopped responding";

/** Records that these pools (one process's graphile-worker pools) are alive, on `hostname` as `pid`. */
export async function recordHeartbeat(
  db: Database,
  poolIds: string[],
  worker: { hostname: string; pid: number; stuckAttempts: number },
): Promise<void> {
  if (poolIds.length === 0) return;
  await db
    .insert(workerHeartbeats)
    .values(poolIds.map((poolId) => ({ poolId, ...worker })))
    .onConflictDoUpdate({
      target: workerHeartbeats.poolId,
      set: { lastSeenAt: sql`now()`, stuckAttempts: worker.stuckAttempts },
    });
}

/** Removes these pools' heartbeats: their process is leaving, not dying. */
export async function forgetHeartbeats(db: Database, poolIds: string[]): Promise<void> {
  if (poolIds.length > 0) await db.delete(workerHeartbeats).where(inArray(workerHeartbeats.poolId, poolIds));
}

/**
 * The pools presumed dead: heartbeats silent for longer than `deadAfterMs`,
 * and pools holding locks that old that never beat at all. `ownPoolIds`
 * (the caller's own) are never among them.
 */
export async function findDeadWorkers(db: Database, ownPoolIds: string[], deadAfterMs: number): Promise<string[]> {
  const deadAfter = sql`now() - make_interval(secs => ${deadAfterMs / 1000})`;
  const silent = await db
    .delete(workerHeartbeats)
    .where(and(lt(workerHeartbeats.lastSeenAt, deadAfter), notInArray(workerHeartbeats.poolId, ownPoolIds)))
    .returning({ poolId: workerHeartbeats.poolId });
  const unknown = await lockHoldersSince(
    db,
    deadAfter,
    sql`select ${workerHeartbeats.poolId} from ${workerHeartbeats}`,
  );
  return [...silent.map((row) => row.poolId), ...unknown].filter((id) => !ownPoolIds.includes(id));
}

/**
 * Releases the jobs held by workers presumed dead: each running attempt
 * ends as interrupted, through the same transition as a failed attempt
 * (queued again, or failed after its last attempt); then graphile-worker's
 * locks are dropped so another worker takes them at once.
 */
export async function releaseDeadWorkers(db: Database, poolIds: string[]): Promise<number> {
  if (poolIds.length === 0) return 0;
  return db.transaction(async (tx) => {
    const held = await lockedJobs(tx, poolIds);
    // An attempt that began deferred never wrote its start: it is written
    // now (from when the dead worker took the job), so the attempt it spent
    // is recorded as interrupted like any other.
    await writeDeferredStarts(
      tx,
      held.map(({ jobId, attempt, lockedMsAgo }) => ({ jobId, attempt, elapsedMs: lockedMsAgo })),
    );
    for (const { jobId, lastAttempt } of held) {
      await recordAttemptFailure(tx, jobId, null, {
        message: INTERRUPTED,
        cause: "interrupted",
        finalProblem: lastAttempt
          ? { type: JOB_FAILED, title: "The job failed", status: 500, detail: INTERRUPTED }
          : undefined,
      });
      if (lastAttempt) await removeJob(tx, jobId);
    }
    await forceUnlockWorkers(tx, poolIds);
    return held.length;
  });
}
