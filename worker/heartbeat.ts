import os from "node:os";
import type { Database } from "@/db/client";
import { findDeadWorkers, forgetHeartbeats, recordHeartbeat, releaseDeadWorkers } from "@/lib/jobs/lifecycle";
import type { Logger } from "@/lib/logger";

export interface HeartbeatOptions {
  db: Database;
  /** This process's graphile-worker pool ids. */
  poolIds: () => string[];
  intervalMs: number;
  /** A worker silent for longer than this is presumed dead. */
  deadAfterMs: number;
  logger: Logger;
  /** Attempts past their time limit whose handlers still run here (worker/time-limits.ts). */
  stuckAttempts: () => number;
}

/**
 * Every interval: records that this worker is alive, then (as any live
 * worker may) releases the jobs of workers that have gone silent. Without
 * this, a worker killed with -9 would leave its jobs locked for
 * graphile-worker's 4 hours. The recovery itself is lib/jobs/lifecycle/recovery.ts.
 */
export function startHeartbeat({ db, poolIds, intervalMs, deadAfterMs, logger, stuckAttempts }: HeartbeatOptions) {
  const beat = async () => {
    const ids = poolIds();
    if (ids.length === 0) return;
    await recordHeartbeat(db, ids, { hostname: os.hostname(), pid: process.pid, stuckAttempts: stuckAttempts() });
    const dead = await findDeadWorkers(db, ids, deadAfterMs);
    if (dead.length > 0) {
      const released = await releaseDeadWorkers(db, dead);
      logger.warn(
        { deadWorkers: dead, releasedJobs: released },
        "released the jobs of workers that stopped responding",
      );
    }
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
      await forgetHeartbeats(db, poolIds());
    },
  };
}
