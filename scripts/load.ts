/**
 * `npm run load`: the exactly-once check at 10,000 jobs (or --count N), on
 * its own embedded PostgreSQL and production app. Prints the figures.
 */
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import postgres from "postgres";
import { launchDatabase } from "./database";
import { runExactlyOnce } from "./exactly-once";
import { freePort, startStack } from "./stack";

const countArg = process.argv.indexOf("--count");
const count = countArg > 0 ? Number(process.argv[countArg + 1]) : 10_000;

await mkdir("bench/results", { recursive: true });
const database = await launchDatabase({
  dataSubdir: `load-postgres-${process.pid}`,
  port: await freePort(),
  persistent: false,
});
const stack = await startStack({
  mode: "production",
  port: await freePort(),
  databaseUrl: database.url,
  output: createWriteStream("bench/results/load-servers.log"),
  env: { NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "warn" },
});
const sql = postgres(database.url, { max: 2, onnotice: () => {} });
try {
  const figures = await runExactlyOnce({ baseUrl: stack.baseUrl, sql, count, concurrency: 50, timeoutMs: 900_000 });
  console.log(`\nexactly-once over HTTP, ${count} jobs (needs a prior \`next build\`):`);
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
  await stack.stop();
  await database.stop();
}
process.exit(0);
