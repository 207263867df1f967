import { EventEmitter } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import type { Runner, RunnerOptions, WorkerEvents, WorkerPool } from "graphile-worker";
import type { Logger } from "@/lib/logger";

/** A runner that has lived this long counts as healthy: the next restart waits the shortest delay again. */
const HEALTHY_AFTER_MS = 60_000;
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

export interface LaneOptions {
  name: string;
  options: RunnerOptions;
  run: (options: RunnerOptions) => Promise<Runner>;
  /** A pool of this lane started: its id is what graphile-worker writes to locked_by. */
  onPool(poolId: string): void;
  /** A pool of this lane ended without being asked to: hand its jobs to the living. */
  onPoolLost(poolId: string): Promise<void>;
  /** Listens to each runner's events (worker/due-nudges.ts). */
  watch?: (events: WorkerEvents) => void;
  logger: Logger;
}

/**
 * One graphile-worker runner, kept running. graphile-worker 0.17 ends a
 * pool that could not record a job's outcome ("committing seppuku") or
 * whose worker exited, and its runner's promise then resolves rather than
 * rejects: nothing would notice, and the heartbeat would go on vouching for
 * a pool that takes no jobs. Here its end is noticed, its locked jobs are
 * handed back, and a new runner takes its place, after a backoff.
 */
export async function startLane({ name, options, run, onPool, onPoolLost, watch, logger }: LaneOptions) {
  let current: Runner | null = null;
  let stopping = false;
  let stopped = Promise.resolve();

  const start = async (): Promise<Runner> => {
    const events: WorkerEvents = new EventEmitter();
    const poolIds: string[] = [];
    events.on("pool:create", ({ workerPool }) => {
      poolIds.push(workerPool.id);
      onPool(workerPool.id);
    });
    watchForHungShutdown(events, () => stopping, logger);
    watch?.(events);
    const runner = await run({ ...options, events });
    current = runner;
    const startedAt = Date.now();
    stopped = runner.promise.then(
      () => restart(poolIds, startedAt, null),
      (error: unknown) => restart(poolIds, startedAt, error),
    );
    return runner;
  };

  let delayMs = FIRST_DELAY_MS;
  const restart = async (poolIds: string[], startedAt: number, error: unknown) => {
    if (stopping) return;
    current = null;
    logger.error({ lane: name, poolIds, err: error }, "a graphile-worker pool stopped on its own; restarting it");
    if (Date.now() - startedAt > HEALTHY_AFTER_MS) delayMs = FIRST_DELAY_MS;
    for (const poolId of poolIds) {
      await onPoolLost(poolId).catch((lost) =>
        logger.error({ err: lost, poolId }, "could not hand back a lost pool's jobs; recovery will"),
      );
    }
    while (!stopping) {
      await sleep(delayMs);
      delayMs = Math.min(delayMs * 2, MAX_DELAY_MS);
      if (stopping) return;
      try {
        await start();
        logger.info({ lane: name }, "graphile-worker pool restarted");
        return;
      } catch (failed) {
        logger.error({ lane: name, err: failed }, "could not restart a graphile-worker pool; trying again");
      }
    }
  };

  await start();
  return {
    /** Stops the lane's runner (if one is running) gracefully. */
    async stop(reason: string) {
      stopping = true;
      const runner = current;
      current = null;
      if (runner) await runner.stop(reason);
      await stopped;
    },
  };
}

/** How long a pool that shut itself down may take to end once its last job is done. */
const HUNG_AFTER_MS = 5_000;

/**
 * graphile-worker 0.17's batched completions (WORKER_COMPLETE_BATCH_MS ≥ 0)
 * do not retry: a completion lost to a dropped connection shuts the pool
 * down, and after two such losses its batcher's count of pending writes
 * goes below zero, so the shutdown waits for it forever and the runner
 * never ends. A pool shutting down on its own that has no job left and has
 * not ended after HUNG_AFTER_MS is shut down forcefully (it has nothing
 * left to fail), which ends its runner and so restarts the lane.
 */
function watchForHungShutdown(events: WorkerEvents, stopping: () => boolean, logger: Logger) {
  let active = 0;
  let pool: WorkerPool | null = null;
  let ended = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    if (!pool || ended || active > 0 || timer) return;
    const hung = pool;
    timer = setTimeout(() => {
      if (ended) return;
      logger.error({ poolId: hung.id }, "a graphile-worker pool is stuck shutting down; forcing it");
      Promise.resolve()
        .then(() => hung.forcefulShutdown("stuck in its graceful shutdown"))
        .catch((error: unknown) =>
          logger.error({ err: error, poolId: hung.id }, "forced shutdown of a stuck pool failed"),
        );
    }, HUNG_AFTER_MS);
    timer.unref();
  };
  events.on("job:start", () => {
    active++;
  });
  events.on("job:complete", () => {
    active--;
    arm();
  });
  events.on("pool:gracefulShutdown", ({ workerPool }) => {
    if (stopping()) return; // asked to: it may take the grace period it needs
    pool = workerPool;
    arm();
  });
  events.on("pool:release", () => {
    ended = true;
    clearTimeout(timer);
  });
}
