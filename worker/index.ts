import { parseCrontab, run, type TaskList, Logger as WorkerLogger } from "graphile-worker";
import { persistThroughOutage } from "@/db/outages";
import { config } from "@/lib/config";
import { closeDb, getDb, prepareDatabase, sessionDatabaseUrl } from "@/lib/db";
import { exitOnUnhandledRejection } from "@/lib/fatal-errors";
import { ensureTypeControls } from "@/lib/jobs/type-controls";
import { logger } from "@/lib/logger";
import { forceUnlockWorkers, graphileBatching } from "@/lib/queue/graphile-worker";
import { startTracing } from "@/lib/tracing";
import { attemptWrites } from "./batched-writes";
import { nudgeWhenDue } from "./due-nudges";
import type { JobHandler } from "./handler";
import { handlersForRegistry } from "./handlers";
import { startHeartbeat } from "./heartbeat";
import { heldTypes } from "./held-types";
import { HOUSEKEEPING_CRONTAB, HOUSEKEEPING_TASK, housekeeping } from "./housekeeping";
import { JobLogWriter } from "./job-log";
import { retryLostConnections } from "./lost-connections";
import { notificationTasks } from "./notifications";
import { type TaskServices, toGraphileTask } from "./run-task";
import { startLane } from "./runner-lane";
import { timeLimits } from "./time-limits";
import { timedTasks } from "./timed-tasks";

// graphile-worker's own messages go through our logger, at matching levels.
const workerLogger = new WorkerLogger((scope) => {
  const child = logger.child({ component: "graphile-worker", ...scope });
  return (level, message, meta) => {
    const method = level === "error" ? "error" : level === "warning" ? "warn" : level === "info" ? "info" : "debug";
    child[method](meta ?? {}, message);
  };
});

async function main() {
  const tracing = await startTracing("accepted-worker");
  retryLostConnections();
  await prepareDatabase();
  // graphile-worker LISTENs and holds its locks in sessions: never through a transaction-mode pooler.
  const connectionString = sessionDatabaseUrl();
  const {
    WORKER_CONCURRENCY,
    WORKER_HEARTBEAT_MS,
    WORKER_DEAD_AFTER_MS,
    WORKER_BATCH_WRITES,
    WORKER_LOCAL_QUEUE_SIZE,
    WORKER_COMPLETE_BATCH_MS,
    WEBHOOK_CONCURRENCY,
    PROGRESS_WRITE_INTERVAL_MS,
  } = config();
  const handlers = handlersForRegistry();
  await ensureTypeControls(
    getDb(),
    handlers.map((handler) => handler.jobType.type),
  );
  // Paused types and types at their concurrency limit are not fetched (each job's flag is its type).
  const held = heldTypes(getDb(), logger);
  const writes = attemptWrites(getDb(), WORKER_BATCH_WRITES);
  const services: TaskServices = {
    held,
    writes,
    jobLogs: new JobLogWriter(getDb(), PROGRESS_WRITE_INTERVAL_MS),
    limits: timeLimits(getDb(), logger),
  };
  const tasksOf = (selected: JobHandler[]): TaskList =>
    Object.fromEntries(selected.map((handler) => [handler.jobType.type, toGraphileTask(handler, services)]));

  // The pools' ids are what graphile-worker writes to locked_by.
  const poolIds = new Set<string>();
  // `runsLater`: the lane has entries queued to run later (a release, a firing): they run when due, not at the next poll.
  const lane = (name: string, options: Parameters<typeof run>[0], { runsLater = false } = {}) =>
    startLane({
      name,
      options,
      run,
      watch: runsLater
        ? (events) => nudgeWhenDue(events, new Set(Object.keys(options.taskList ?? {})), logger)
        : undefined,
      onPool: (poolId) => poolIds.add(poolId),
      onPoolLost: async (poolId) => {
        poolIds.delete(poolId);
        await persistThroughOutage(() => forceUnlockWorkers(getDb(), [poolId]));
      },
      logger,
    });

  const runnerOptions = {
    connectionString,
    logger: workerLogger,
    forbiddenFlags: held.forbiddenFlags,
    // Cron items given as data: graphile-worker reads no crontab file (and says so at every start).
    parsedCronItems: [],
    // We handle signals ourselves: see stop() below.
    noHandleSignals: true,
    preset: { worker: graphileBatching(WORKER_LOCAL_QUEUE_SIZE, WORKER_COMPLETE_BATCH_MS) },
  };
  // Four runners, each taking only its own task types. Admin actions (and the
  // scheduled purge) get a lane of their own: a queue full of long jobs is
  // just when an admin wants to cancel them, and that must not wait behind them.
  // Webhooks and notices wait on other people's servers: a lane of their own too. And what is due at a time its
  // user chose (a schedule's firing, a scheduled job's release), short transactions, waits behind none of them.
  const runners = await Promise.all([
    lane("jobs", {
      ...runnerOptions,
      concurrency: WORKER_CONCURRENCY,
      taskList: tasksOf(handlers.filter((handler) => !handler.jobType.internal)),
    }),
    lane("admin", {
      ...runnerOptions,
      concurrency: 1,
      taskList: {
        ...tasksOf(handlers.filter((handler) => handler.jobType.internal)),
        [HOUSEKEEPING_TASK]: housekeeping,
      },
      parsedCronItems: parseCrontab(HOUSEKEEPING_CRONTAB),
    }),
    lane("notifications", { ...runnerOptions, concurrency: WEBHOOK_CONCURRENCY, taskList: notificationTasks }),
    lane("timed", { ...runnerOptions, concurrency: 1, taskList: timedTasks(logger) }, { runsLater: true }),
  ]);
  const heartbeat = startHeartbeat({
    db: getDb(),
    poolIds: () => [...poolIds],
    intervalMs: WORKER_HEARTBEAT_MS,
    deadAfterMs: WORKER_DEAD_AFTER_MS,
    logger,
    stuckAttempts: () => services.limits.stuckAttempts,
  });
  logger.info(
    {
      concurrency: WORKER_CONCURRENCY,
      tasks: handlers.map((handler) => handler.jobType.type),
      poolIds: [...poolIds],
    },
    "worker started",
  );

  let stopping = false;
  async function stop(signal: NodeJS.Signals) {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: running jobs get a grace period, then are aborted and handed back");
    await Promise.all(
      runners.map((runner) =>
        runner.stop(`received ${signal}`).catch((error) => logger.error({ err: error }, "graceful shutdown failed")),
      ),
    );
    await heartbeat.stop().catch((error) => logger.warn({ err: error }, "could not remove heartbeats"));
    // graphile-worker 0.17 can exit its graceful shutdown before the failure
    // of an aborted job is written, which leaves that job locked for 4 hours.
    // Unlocking our own pools' jobs hands them to the next worker at once.
    await forceUnlockWorkers(getDb(), [...poolIds]);
    await closeDb();
    await tracing?.shutdown().catch((error) => logger.warn({ err: error }, "could not send the last spans"));
    logger.info("worker stopped");
    process.exit(0);
  }
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

exitOnUnhandledRejection(logger);
main().catch((error) => {
  logger.fatal({ err: error }, "worker stopped");
  process.exit(1);
});
