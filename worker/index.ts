import { run, type TaskList, Logger as WorkerLogger } from "graphile-worker";
import { closeDb } from "@/db/client";
import { prepareDatabase } from "@/db/prepare";
import { readConfig } from "@/lib/config";
import { jobTypes } from "@/lib/jobs/registry";
import { logger } from "@/lib/logger";
import { toGraphileTask } from "./run-task";

// graphile-worker's own messages go through our logger, at matching levels.
const workerLogger = new WorkerLogger((scope) => {
  const child = logger.child({ component: "graphile-worker", ...scope });
  return (level, message, meta) => {
    const method = level === "error" ? "error" : level === "warning" ? "warn" : level === "info" ? "info" : "debug";
    child[method](meta ?? {}, message);
  };
});

async function main() {
  const connectionString = await prepareDatabase();
  const { WORKER_CONCURRENCY } = readConfig();
  const taskList: TaskList = Object.fromEntries(jobTypes.map((jobType) => [jobType.type, toGraphileTask(jobType)]));

  const runner = await run({
    connectionString,
    concurrency: WORKER_CONCURRENCY,
    taskList,
    logger: workerLogger,
  });
  logger.info({ concurrency: WORKER_CONCURRENCY, tasks: Object.keys(taskList) }, "worker started");
  await runner.promise;
  await closeDb();
}

main().catch((error) => {
  logger.fatal({ err: error }, "worker stopped");
  process.exit(1);
});
