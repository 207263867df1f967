/**
 * Profiles the web server under one HTTP load: starts it with --cpu-prof,
 * drives the status monitor (or --submit: POST /api/jobs) with autocannon,
 * stops it and summarises the profile. For "work the gap" in bench/README.md.
 */

import { spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import autocannon from "autocannon";
import { createApiUser } from "@/e2e/support/api-user";
import { launchDatabase } from "@/scripts/database";
import { freePort, startStack } from "@/scripts/stack";

const submit = process.argv.includes("--submit");
const dir = `bench/results/profile-${submit ? "submit" : "poll"}`;
await rm(dir, { recursive: true, force: true });
const database = await launchDatabase({
  dataSubdir: `profile-postgres-${process.pid}`,
  port: await freePort(),
  persistent: false,
});
const web = await startStack({
  mode: "production",
  port: await freePort(),
  databaseUrl: database.url,
  output: createWriteStream(`${dir}.log`),
  // test.record is what it submits.
  env: { NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "warn", ACCEPTED_TEST_JOB_TYPES: "1" },
  webNodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`],
  worker: false,
});
const user = await createApiUser(web.baseUrl, "profile");
const created = await fetch(`${web.baseUrl}/api/jobs`, {
  method: "POST",
  headers: { "Content-Type": "application/json", ...user.headers },
  body: JSON.stringify({ type: "test.record", input: {} }),
});
const { id } = (await created.json()) as { id: string };
const result = await autocannon({
  url: submit ? `${web.baseUrl}/api/jobs` : `${web.baseUrl}/api/jobs/${id}?redirect=false`,
  method: submit ? "POST" : "GET",
  body: submit ? JSON.stringify({ type: "test.record", input: {} }) : undefined,
  headers: { "content-type": "application/json", ...user.headers },
  connections: 20,
  duration: 8,
});
console.log(`${result.requests.average} req/s, p99 ${result.latency.p99} ms`);
await web.stop();
await database.stop();
const profiles = (await readdir(dir)).filter((name) => name.endsWith(".cpuprofile"));
for (const name of profiles) {
  console.log(`\n== ${name}`);
  spawnSync(process.execPath, ["--import", "tsx", "bench/profile-summary.ts", `${dir}/${name}`], { stdio: "inherit" });
}
process.exit(0);
