/**
 * `npm run load`: the exactly-once check at 10,000 jobs (or --count N), on
 * its own embedded PostgreSQL and production app. Prints the figures.
 */
import { mkdir } from "node:fs/promises";
import postgres from "postgres";
import { createApiUser } from "@/e2e/support/api-user";
import { runExactlyOnce } from "@/e2e/support/exactly-once";
import { startThrowawayApp } from "./throwaway-app";

const countArg = process.argv.indexOf("--count");
const count = countArg > 0 ? Number(process.argv[countArg + 1]) : 10_000;

await mkdir("bench/results", { recursive: true });
// One user sends everything: the cap on unfinished jobs must not turn the load away.
const app = await startThrowawayApp("load", "bench/results/load-servers.log", {
  LOG_LEVEL: "warn",
  MAX_UNFINISHED_JOBS_PER_USER: "1000000",
});
const sql = postgres(app.database.url, { max: 2, onnotice: () => {} });
try {
  const user = await createApiUser(app.stack.baseUrl, "load");
  const figures = await runExactlyOnce({
    baseUrl: app.stack.baseUrl,
    headers: user.headers,
    sql,
    count,
    concurrency: 50,
    timeoutMs: 900_000,
  });
  console.log(`\nexactly-once over HTTP, ${count} jobs:`);
  console.table({
    submitted: figures.submitted,
    "rejected submits": figures.rejected,
    succeeded: figures.succeeded,
    "not succeeded": figures.notSucceeded,
    "side effects": figures.effects,
    "lost (no effect)": figures.jobsWithoutEffect,
    "duplicated (>1 effect)": figures.jobsWithDuplicateEffects,
    "submit time (s)": Number(figures.submitSeconds.toFixed(1)),
    "submit rate (jobs/s)": Math.round(figures.submitted / figures.submitSeconds),
    "submit → all done (s)": Number(figures.drainSeconds.toFixed(1)),
    "throughput (jobs/s)": Math.round(figures.succeeded / figures.drainSeconds),
  });
} finally {
  await sql.end({ timeout: 5 });
  await app.stop();
}
process.exit(0);
