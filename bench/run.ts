/**
 * `npm run bench`: starts its own embedded PostgreSQL and the app in
 * production mode, runs each scenario, prints a table and writes
 * bench/results/latest.{json,md}. `--quick` runs smaller samples;
 * `--no-build` reuses the last `next build`.
 */

import { spawnSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "@/db/schema";
import { recordProgress, startAttempt } from "@/lib/jobs/lifecycle";
import { SseClient } from "@/scripts/sse-client";
import type { Stack } from "@/scripts/stack";
import { startThrowawayApp } from "@/scripts/throwaway-app";

const quick = process.argv.includes("--quick");

interface Figure {
  scenario: string;
  measure: string;
  value: number;
  unit: string;
  goal?: string;
  met?: boolean;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** Worker progress write → event received by an SSE client of the web server. */
async function pushLatency(stack: Stack, databaseUrl: string): Promise<Figure[]> {
  const samples = quick ? 100 : 500;
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const db = drizzle(sql, { schema });
  try {
    // A job held in "running" by this script, written to as a worker would.
    const [job] = await db
      .insert(schema.jobs)
      .values({ type: "demo.steps", input: { steps: 1, stepMs: 0 }, maxAttempts: 1 })
      .returning();
    if (!job) throw new Error("no job row");
    await startAttempt(db, job.id, 1);
    const stream = await SseClient.open(`${stack.baseUrl}/api/jobs/${job.id}/events`);
    await stream.waitFor((events) => events.length > 0);

    const latencies: number[] = [];
    for (let i = 1; i <= samples; i++) {
      const percent = (i % 99) + 1;
      const before = stream.events.length;
      const start = performance.now();
      await recordProgress(db, job.id, 1, { percent, message: `sample ${i}` });
      await stream.waitFor((events) => events.length > before, 5_000);
      latencies.push(performance.now() - start);
      await sleep(5);
    }
    stream.close();
    await db.delete(schema.jobs).where(eq(schema.jobs.id, job.id));
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    return [
      {
        scenario: "push",
        measure: `p50 over ${samples} writes`,
        value: p50,
        unit: "ms",
        goal: "≤ 10 ms",
        met: p50 <= 10,
      },
      {
        scenario: "push",
        measure: `p99 over ${samples} writes`,
        value: p99,
        unit: "ms",
        goal: "≤ 50 ms",
        met: p99 <= 50,
      },
    ];
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function rssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? Number.NaN);
}

/** Resident memory of the web server per idle SSE subscriber. */
async function subscriberMemory(stack: Stack): Promise<Figure[]> {
  const count = quick ? 500 : 2_000;
  const pid = stack.pids.web;
  if (!pid) throw new Error("no web pid");
  // Warm the route and the LISTEN connection so they are not counted.
  const warm = await SseClient.open(`${stack.baseUrl}/api/events`);
  await warm.waitFor(() => true);
  await sleep(1_000);
  const before = await rssKb(pid);

  const streams: SseClient[] = [];
  for (let i = 0; i < count; i += 100) {
    streams.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(100, count - i) }, () => SseClient.open(`${stack.baseUrl}/api/events`)),
      )),
    );
  }
  await sleep(2_000);
  const after = await rssKb(pid);
  for (const stream of [...streams, warm]) stream.close();
  const perConnection = ((after - before) * 1024) / count;
  return [
    {
      scenario: "subscribers",
      measure: `web RSS per idle SSE connection (${count} open)`,
      value: perConnection / 1024,
      unit: "KB",
      goal: "≤ 20 KB",
      met: perConnection <= 20 * 1024,
    },
    {
      scenario: "subscribers",
      measure: "web RSS before / after",
      value: after / 1024,
      unit: `MB (from ${(before / 1024).toFixed(0)} MB)`,
    },
  ];
}

function table(figures: Figure[]): string {
  const rows = figures.map((f) => [
    f.scenario,
    f.measure,
    `${f.value.toFixed(2)} ${f.unit}`,
    f.goal ?? "",
    f.met === undefined ? "" : f.met ? "met" : "NOT met",
  ]);
  const header = ["scenario", "measure", "value", "goal", ""];
  return [header, header.map(() => "---"), ...rows].map((row) => `| ${row.join(" | ")} |`).join("\n");
}

async function main() {
  const env = { NEXT_TELEMETRY_DISABLED: "1" };
  if (!process.argv.includes("--no-build")) {
    const built = spawnSync("node_modules/.bin/next", ["build"], { stdio: "inherit", env: { ...process.env, ...env } });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  await mkdir("bench/results", { recursive: true });
  const app = await startThrowawayApp("bench", "bench/results/servers.log", { LOG_LEVEL: "warn" });
  try {
    const figures = [...(await pushLatency(app.stack, app.database.url)), ...(await subscriberMemory(app.stack))];
    const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
    const report = `# Benchmark report\n\n${new Date().toISOString()}${quick ? " (quick)" : ""}\n\nMachine: ${machine}\n\n${table(figures)}\n`;
    console.log(`\n${report}`);
    await writeFile("bench/results/latest.json", JSON.stringify({ machine, quick, figures }, null, 2));
    await writeFile("bench/results/latest.md", report);
  } finally {
    await app.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
