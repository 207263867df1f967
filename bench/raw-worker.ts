/**
 * Raw graphile-worker, the drain scenario's baseline: the same library and
 * settings as our worker, with a task that does nothing and no jobs table.
 */
import { run } from "graphile-worker";

const concurrency = Number(process.env.WORKER_CONCURRENCY ?? 4);
const runner = await run({
  connectionString: process.env.DATABASE_URL,
  concurrency,
  taskList: { "bench.noop": async () => {} },
  crontab: "",
});
await runner.promise;
