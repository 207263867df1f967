/**
 * Raw graphile-worker, the drain scenario's baseline: the same library and
 * settings as our worker (concurrency, and graphile-worker's own batching
 * when WORKER_LOCAL_QUEUE_SIZE / WORKER_COMPLETE_BATCH_MS turn it on), with
 * a task that does nothing and no jobs table.
 */
import { run } from "graphile-worker";
import { config } from "@/lib/config";
import { graphileBatching } from "@/lib/queue/graphile-worker";

const { DATABASE_URL, WORKER_CONCURRENCY, WORKER_LOCAL_QUEUE_SIZE, WORKER_COMPLETE_BATCH_MS } = config();
const runner = await run({
  connectionString: DATABASE_URL,
  concurrency: WORKER_CONCURRENCY,
  taskList: { "bench.noop": async () => {} },
  crontab: "",
  preset: { worker: graphileBatching(WORKER_LOCAL_QUEUE_SIZE, WORKER_COMPLETE_BATCH_MS) },
});
await runner.promise;
