import os from "node:os";
import { and, inArray, lt, notInArray, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { idempotencyKeys, workerHeartbeats } from "@/db/schema";
import { IDEMPOTENCY_KEY_TTL_HOURS, releaseDeadWorkers } from "@/lib/jobs/lifecycle";
import type { Logger } from "@/lib/logger";

export interface HeartbeatOptions {
  db: Database;
  /** This process's graphile-worker pool ids. */
  poolIds: () => string[];
  intervalMs: number;
  /** A worker silent for longer than this is presumed dead. */
  deadAfterMs: number;
  logger: Logger;
}

/**
 * Every interval: records that this worker is alive, then (as any live
 * worker may) releases the jobs of workers that have gone silent, and
 * forgets expired Idempotency-Keys. Without this, a worker killed with -9
 * would leave its jobs locked for graphile-worker's 4 hours.
 */
export function startHeartbeat({ db, poolIds, intervalMs, deadAfterMs, logger }: HeartbeatOptions) {
  const beat = async () => {
    const ids = poolIds();
    if (ids.length === 0) return;
    await db
      .insert(workerHeartbeats)
      .values(ids.map((poolId) => ({ poolId, hostname: os.hostname(), pid: process.pid })))
      .onConflictDoUpdate({ target: workerHeartbeats.poolId, set: { lastSeenAt: sql`now()` } });
    await sweep(ids);
  };

  const sweep = async (ownIds: string[]) => {
    const deadAfter = sql`now() - make_interval(secs => ${deadAfterMs / 1000})`;
    // Dead: silent heartbeats, and locks held by pools that never beat at all.
    const silent = await db
      .delete(workerHeartbeats)
      .where(and(lt(workerHeartbeats.lastSeenAt, deadAfter), notInArray(workerHeartbeats.poolId, ownIds)))
      .returning({ poolId: workerHeartbeats.poolId });
    const unknown = await db.execute<{ locked_by: string }>(sql`
      select distinct locked_by from graphile_worker._private_jobs
      where locked_by is not null and locked_at < ${deadAfter}
        and locked_by not in (select pool_id from worker_heartbeats)`);
    const dead = [...silent.map((row) => row.poolId), ...unknown.map((row) => row.locked_by)].filter(
      (id) => !ownIds.includes(id),
    );
    if (dead.length > 0) {
      const released = await releaseDeadWorkers(db, dead);
      logger.warn(
        { deadWorkers: dead, releasedJobs: released },
        "released the jobs of workers that stopped responding",
      );
    }
    await db
      .delete(idempotencyKeys)
      .where(lt(idempotencyKeys.createdAt, sql`now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})`));
  };

  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    beat()
      .catch((error) => logger.warn({ err: error }, "heartbeat failed"))
      .finally(() => {
        running = false;
      });
  }, intervalMs);

  return {
    /** Stops beating and removes this worker's heartbeats: it is leaving, not dying. */
    async stop() {
      clearInterval(timer);
      const ids = poolIds();
      if (ids.length > 0) await db.delete(workerHeartbeats).where(inArray(workerHeartbeats.poolId, ids));
    },
  };
}
