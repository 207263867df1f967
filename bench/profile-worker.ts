/**
 * Where the drain's time goes: runs our worker with --cpu-prof on a fresh
 * database, queues no-op jobs as ten owners' batches, and reports the
 * worker's CPU (V8 profile, summarised) next to PostgreSQL's (every server
 * process's CPU time from /proc, before and after). For bench/README.md.
 * `node --import tsx bench/profile-worker.ts [jobs]`.
 */
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import { createDatabaseClient } from "@/db/client";
import { submitBatch } from "@/lib/jobs/lifecycle";
import { findJobType } from "@/lib/jobs/registry";
import { launchDatabase } from "@/scripts/database";
import { freePort } from "@/scripts/stack";

const jobs = Number(process.argv[2] ?? 3_000);
const dir = "bench/results/profile-worker";
await rm(dir, { recursive: true, force: true });
const database = await launchDatabase({
  dataSubdir: `profile-postgres-${process.pid}`,
  port: await freePort(),
  persistent: false,
});
const env = {
  ...process.env,
  DATABASE_URL: database.url,
  LOG_LEVEL: "warn",
  WORKER_CONCURRENCY: "10",
  ACCEPTED_PROCESS: "worker",
};
spawnSync(process.execPath, ["--import", "tsx", "scripts/migrate.ts"], { env, stdio: "inherit" });

/** CPU seconds used so far by every PostgreSQL server process (they are named postgres). */
async function postgresCpuSeconds(): Promise<number> {
  const ticks = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = await readFile(`/proc/${pid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (name !== "postgres") continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += (Number(fields[11]) + Number(fields[12])) / ticks; // utime + stime
    } catch {
      // the process ended between readdir and read
    }
  }
  return total;
}

const worker = spawn(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--import", "tsx", "worker/index.ts"], {
  env,
  stdio: ["ignore", "pipe", "pipe"],
});
worker.stdout.pipe(createWriteStream(`${dir}.log`));
worker.stderr.pipe(createWriteStream(`${dir}.log`, { flags: "a" }));
await sleep(5_000);

const client = createDatabaseClient(database.url, "accepted-profile");
const sql = postgres(database.url, { max: 1, onnotice: () => {} });
const jobType = findJobType("demo.steps");
if (!jobType) throw new Error("demo.steps is missing");
const cpuBefore = await postgresCpuSeconds();
const started = performance.now();
const perOwner = Math.ceil(jobs / 10);
for (let owner = 0; owner < 10; owner++) {
  for (let sent = 0; sent < perOwner; sent += 1_000) {
    const items = Array.from({ length: Math.min(1_000, perOwner - sent) }, () => ({
      jobType,
      input: { steps: 1, stepMs: 0 },
    }));
    await submitBatch(client.db, { items, ownerId: `profile-owner-${owner}` });
  }
}
for (;;) {
  const [left] = await sql`select count(*)::int as n from jobs where state <> 'succeeded'`;
  if (left?.n === 0) break;
  await sleep(50);
}
const seconds = (performance.now() - started) / 1000;
const postgresSeconds = (await postgresCpuSeconds()) - cpuBefore;
const exited = new Promise((resolve) => worker.once("exit", resolve));
worker.kill("SIGTERM");
await exited;
await sql.end();
await client.sql.end();
await database.stop();

const [profile] = (await readdir(dir)).filter((name) => name.endsWith(".cpuprofile"));
const parsed = JSON.parse(await readFile(`${dir}/${profile}`, "utf8")) as { startTime: number; endTime: number };
console.log(
  `${jobs} jobs in ${seconds.toFixed(1)} s (${(jobs / seconds).toFixed(0)} jobs/s): PostgreSQL used ${postgresSeconds.toFixed(1)} CPU s ` +
    `(${((postgresSeconds / seconds) * 100).toFixed(0)} % of one core); the worker's profile below covers its whole life ` +
    `(${((parsed.endTime - parsed.startTime) / 1e6).toFixed(1)} s, start-up included).`,
);
spawnSync(process.execPath, ["--import", "tsx", "bench/profile-summary.ts", `${dir}/${profile}`], { stdio: "inherit" });
process.exit(0);
