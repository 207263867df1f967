import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import type postgres from "postgres";
import type { ApiUser } from "@/e2e/support/api-user";
import type { Stack } from "@/scripts/stack";
import { fmt, type Row } from "./measure";

/** Another user's status poll (`GET /api/jobs/{id}?redirect=false`, 4 connections): its p99 in ms. */
async function statusPollP99(baseUrl: string, user: ApiUser, jobId: string, seconds: number): Promise<number> {
  const result = await autocannon({
    url: `${baseUrl}/api/jobs/${jobId}?redirect=false`,
    headers: user.headers,
    connections: 4,
    duration: seconds,
  });
  return result.latency.p99;
}

const FLOOD_WARMUP_MS = 3_000;

const FLOODS = [
  { kind: "uploads", measure: "16 concurrent 1 MB CSV uploads, without pause" },
  { kind: "messages", measure: "one WebSocket sending 300 subscriptions of 1,000 made-up ids, reconnecting" },
  { kind: "test-sends", measure: "16 concurrent webhook test sends, without pause" },
] as const;

/**
 * Another user's status poll p99, idle and while one user floods the server
 * with each kind of request that has a limit of its own (issue: uploads,
 * WebSocket messages, webhook test sends), from a process of its own
 * (bench/flood.ts). The limits should keep each within 2× of idle.
 */
export async function floods(
  web: Stack,
  sql: postgres.Sql,
  flooder: ApiUser,
  victim: ApiUser,
  seconds: number,
  rows: Row[],
) {
  const submitted = await fetch(`${web.baseUrl}/api/jobs`, {
    method: "POST",
    headers: { ...victim.headers, "Content-Type": "application/json" },
    body: JSON.stringify({ type: "demo.steps", input: { steps: 1 } }),
  });
  const { id: jobId } = (await submitted.json()) as { id: string };
  // An endpoint to test, written directly: production refuses this machine's addresses, and no worker sends here.
  const [endpoint] = await sql<{ id: string }[]>`insert into webhook_endpoints (owner_id, url, events, secret)
    values (${flooder.id}, 'https://hooks.example.com/bench', '{job.succeeded}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')
    returning id`;
  for (const { kind, measure } of FLOODS) {
    const idle = await statusPollP99(web.baseUrl, victim, jobId, seconds);
    const flood = spawn(
      process.execPath,
      ["--import", "tsx", "bench/flood.ts", kind, web.baseUrl, flooder.token, endpoint?.id ?? ""],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let output = "";
    flood.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise((resolve) => flood.once("exit", resolve));
    // Measured once the flood is under way: its process starting (Node, tsx) is not what a flood costs the server.
    await sleep(FLOOD_WARMUP_MS);
    const flooded = await statusPollP99(web.baseUrl, victim, jobId, seconds);
    flood.kill("SIGTERM");
    await exited;
    rows.push({
      scenario: `flood: ${kind}`,
      measure: `another user's status poll p99 while one user sends ${measure}`,
      ours: `${fmt(flooded, "ms")} (answers: ${output.trim() || "?"})`,
      baseline: `${fmt(idle, "ms")} idle`,
      ratio: flooded / idle,
      goal: "≤ 2×",
      met: flooded / idle <= 2,
    });
  }
}
