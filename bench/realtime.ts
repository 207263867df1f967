/**
 * The realtime scenarios of `npm run bench` (issue: realtime at scale): idle
 * WebSockets and SSE streams per web process, push latency and CPU per
 * change with 10,000 unrelated subscribers, a consumer that never reads,
 * and one user crowding the server with replaying connections.
 */
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import type { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type * as schema from "@/db/schema";
import type { ApiUser } from "@/e2e/support/api-user";
import { SseClient } from "@/e2e/support/sse-client";
import { SocketClient } from "@/e2e/support/ws-client";
import { recordProgress, startAttempt } from "@/lib/jobs/lifecycle";
import type { Stack } from "@/scripts/stack";
import { cpuSeconds, fmt, percentile, type Row, rssKb } from "./measure";

type Db = ReturnType<typeof drizzle<typeof schema>>;

export interface RealtimeSettings {
  sockets: number;
  sseStreams: number;
  floodPerSecond: number;
  floodSeconds: number;
  probeSamples: number;
  httpSeconds: number;
}

/** Opens `n` WebSockets, `parallel` at a time, each waiting for its `ready`. */
async function openSockets(baseUrl: string, headers: Record<string, string>, n: number, parallel = 250) {
  const sockets: SocketClient[] = [];
  for (let i = 0; i < n; i += parallel) {
    const batch = Math.min(parallel, n - i);
    sockets.push(...(await Promise.all(Array.from({ length: batch }, () => SocketClient.ready(baseUrl, headers)))));
  }
  return sockets;
}

/** `count` running jobs of `ownerId`, inserted directly (no worker runs here). */
async function runningJobs(db: Db, sql: postgres.Sql, ownerId: string, count: number): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    insert into jobs (type, input, max_attempts, owner_id)
    select 'demo.steps', '{"steps": 1, "stepMs": 0}', 1, ${ownerId} from generate_series(1, ${count})
    returning id`;
  for (const { id } of rows) await startAttempt(db, id, 1);
  return rows.map((row) => row.id);
}

/**
 * Changes `jobIds` (progress and version, as a worker's progress writes do,
 * each announced by NOTIFY) at `perSecond` for `seconds`; resolves with how
 * many changes it made.
 */
async function flood(databaseUrl: string, jobIds: string[], perSecond: number, seconds: number): Promise<number> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const tickMs = 20;
  const perTick = Math.max(1, Math.round((perSecond * tickMs) / 1000));
  const start = performance.now();
  let changes = 0;
  let next = 0;
  try {
    for (let tick = 0; performance.now() - start < seconds * 1000; tick++) {
      const ids = Array.from({ length: perTick }, () => jobIds[next++ % jobIds.length] as string);
      await sql`update jobs set progress = (progress + 1) % 100, version = version + 1, updated_at = now()
        where id = any(${ids}::uuid[])`;
      changes += ids.length;
      const due = start + (tick + 1) * tickMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
  return changes;
}

/** Progress write → the probe socket's message, `samples` times, `gapMs` apart. */
async function probeLatency(db: Db, probe: SocketClient, jobId: string, samples: number, gapMs = 20) {
  const latencies: number[] = [];
  for (let i = 1; i <= samples; i++) {
    const before = probe.jobs(jobId).length;
    const start = performance.now();
    await recordProgress(db, jobId, 1, { percent: (i % 99) + 1, message: `sample ${i}` });
    await probe.waitFor(() => probe.jobs(jobId).length > before, 5_000);
    latencies.push(performance.now() - start);
    await sleep(gapMs);
  }
  return latencies;
}

/**
 * One phase: the flood and the probe together, and the web process's CPU
 * time per change: over the phase, less what it uses idle for as long
 * just before (the subscribers' own upkeep, heartbeats and garbage
 * collection, which is there with or without changes).
 */
async function floodPhase(
  web: Stack,
  db: Db,
  databaseUrl: string,
  probe: { socket: SocketClient; jobId: string },
  floodJobs: string[],
  settings: RealtimeSettings,
) {
  const pid = web.pids.web as number;
  const idleFrom = await cpuSeconds(pid);
  const idleStart = performance.now();
  await sleep(settings.floodSeconds * 1000);
  const idlePerSecond = ((await cpuSeconds(pid)) - idleFrom) / ((performance.now() - idleStart) / 1000);
  const cpuBefore = await cpuSeconds(pid);
  const started = performance.now();
  // The process's resident memory at its highest over the phase, sampled every 250 ms.
  let rssPeakKb = await rssKb(pid);
  const sampler = setInterval(() => {
    rssKb(pid).then(
      (kb) => {
        rssPeakKb = Math.max(rssPeakKb, kb);
      },
      () => {},
    );
  }, 250);
  const [changes, latencies] = await Promise.all([
    flood(databaseUrl, floodJobs, settings.floodPerSecond, settings.floodSeconds),
    probeLatency(db, probe.socket, probe.jobId, settings.probeSamples),
  ]);
  clearInterval(sampler);
  const cpu = (await cpuSeconds(pid)) - cpuBefore - idlePerSecond * ((performance.now() - started) / 1000);
  return {
    changes,
    cpuPerChangeUs: (cpu / (changes + latencies.length)) * 1e6,
    latencies,
    rssPeakMb: rssPeakKb / 1024,
  };
}

/**
 * A web process of its own (no connection cap in the way): idle WebSockets'
 * memory, then push latency and CPU per change with 10,000 unrelated
 * subscribers against none, then a consumer that never reads.
 */
export async function realtimeAtScale(
  web: Stack,
  db: Db,
  sql: postgres.Sql,
  databaseUrl: string,
  users: { watcher: ApiUser; owner: ApiUser },
  settings: RealtimeSettings,
  rows: Row[],
) {
  const pid = web.pids.web as number;
  const floodJobs = await runningJobs(db, sql, users.owner.id, 50);
  const [probeJob] = await runningJobs(db, sql, users.owner.id, 1);
  if (!probeJob) throw new Error("no probe job");
  const probeSocket = await SocketClient.ready(web.baseUrl, users.owner.headers);
  probeSocket.send({ type: "subscribe", jobs: { [probeJob]: 0 } });
  await probeSocket.waitFor(() => probeSocket.jobs(probeJob).length > 0);
  const probe = { socket: probeSocket, jobId: probeJob };

  const alone = await floodPhase(web, db, databaseUrl, probe, floodJobs, settings);

  await sleep(1_000);
  const before = await rssKb(pid);
  const idle = await openSockets(web.baseUrl, users.watcher.headers, settings.sockets);
  await sleep(2_000);
  const after = await rssKb(pid);
  const perSocketKb = (after - before) / settings.sockets;
  rows.push({
    scenario: "websockets",
    measure: `web RSS per idle WebSocket (${settings.sockets.toLocaleString("en")} open)`,
    ours: fmt(perSocketKb, "KB"),
    baseline: `RSS ${fmt(before / 1024, "MB")} → ${fmt(after / 1024, "MB")}`,
    goal: "≤ 20 KB",
    met: perSocketKb <= 20,
  });

  const crowded = await floodPhase(web, db, databaseUrl, probe, floodJobs, settings);
  const p50 = percentile(crowded.latencies, 50);
  const p99 = percentile(crowded.latencies, 99);
  const load = `${settings.sockets.toLocaleString("en")} subscribers, ${settings.floodPerSecond} changes/s to other jobs`;
  rows.push({
    scenario: "push at scale",
    measure: `write → WebSocket message, p50 (${load})`,
    ours: fmt(p50, "ms"),
    baseline: `${fmt(percentile(alone.latencies, 50), "ms")} without the subscribers`,
    goal: "≤ 10 ms",
    met: p50 <= 10,
  });
  rows.push({
    scenario: "push at scale",
    measure: `write → WebSocket message, p99 (${load})`,
    ours: fmt(p99, "ms"),
    baseline: `${fmt(percentile(alone.latencies, 99), "ms")} without the subscribers`,
    goal: "≤ 50 ms",
    met: p99 <= 50,
  });
  const cpuRatio = crowded.cpuPerChangeUs / alone.cpuPerChangeUs;
  rows.push({
    scenario: "fan-out",
    measure: `web CPU per change (beyond idle), ${settings.sockets.toLocaleString("en")} unrelated subscribers vs none`,
    ours: fmt(crowded.cpuPerChangeUs, "µs"),
    baseline: fmt(alone.cpuPerChangeUs, "µs"),
    ratio: cpuRatio,
    goal: "≤ 1.5×",
    met: cpuRatio <= 1.5,
  });

  // One more socket hearing every change of the flooded jobs: first reading, then never reading (its TCP
  // reading paused), so the comparison is the slowness alone, not the 500 reads a second it costs either way.
  const slow = await SocketClient.ready(web.baseUrl, users.owner.headers);
  const reading = await floodPhase(web, db, databaseUrl, probe, floodJobs, settings);
  const tcp = (slow.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  tcp.pause();
  const notReading = await floodPhase(web, db, databaseUrl, probe, floodJobs, settings);
  tcp.resume();
  await sleep(500);
  const readingP99 = percentile(reading.latencies, 99);
  const slowP99 = percentile(notReading.latencies, 99);
  const extraMb = notReading.rssPeakMb - reading.rssPeakMb;
  rows.push({
    scenario: "slow consumer",
    measure: `web peak RSS over ${settings.floodSeconds} s of ${settings.floodPerSecond} changes/s to a socket that never reads`,
    ours: `${fmt(notReading.rssPeakMb, "MB")}${slow.closed ? ` (cut off: ${slow.closed.code})` : " (kept: the latest version of each job waits)"}`,
    baseline: `${fmt(reading.rssPeakMb, "MB")} with the same socket reading`,
    goal: "bounded (≤ 8 MB more)",
    met: extraMb <= 8,
  });
  rows.push({
    scenario: "slow consumer",
    measure: "others' push p99 with that socket not reading",
    ours: fmt(slowP99, "ms"),
    baseline: `${fmt(readingP99, "ms")} with it reading`,
    ratio: slowP99 / readingP99,
    goal: "unchanged (≤ 1.5×)",
    met: slowP99 / readingP99 <= 1.5,
  });

  slow.close();
  probeSocket.close();
  for (const socket of idle) socket.close();
}

/** A fresh web process: resident memory per idle SSE stream. */
export async function sseMemory(web: Stack, user: ApiUser, settings: RealtimeSettings, rows: Row[]) {
  const pid = web.pids.web as number;
  const warm = await SseClient.open(`${web.baseUrl}/api/events`, user.headers);
  await sleep(1_000);
  const before = await rssKb(pid);
  const streams: SseClient[] = [];
  for (let i = 0; i < settings.sseStreams; i += 250) {
    const batch = Math.min(250, settings.sseStreams - i);
    streams.push(
      ...(await Promise.all(
        Array.from({ length: batch }, () => SseClient.open(`${web.baseUrl}/api/events`, user.headers)),
      )),
    );
  }
  await sleep(2_000);
  const after = await rssKb(pid);
  for (const stream of [...streams, warm]) stream.close();
  const perConnectionKb = (after - before) / settings.sseStreams;
  rows.push({
    scenario: "subscribers",
    measure: `web RSS per idle SSE connection (${settings.sseStreams.toLocaleString("en")} open)`,
    ours: fmt(perConnectionKb, "KB"),
    baseline: `RSS ${fmt(before / 1024, "MB")} → ${fmt(after / 1024, "MB")}`,
    goal: "≤ 20 KB",
    met: perConnectionKb <= 20,
  });
}

async function listP99(baseUrl: string, user: ApiUser, seconds: number) {
  const result = await autocannon({
    url: `${baseUrl}/api/jobs`,
    headers: user.headers,
    connections: 4,
    duration: seconds,
  });
  return result.latency.p99;
}

/**
 * Another user's GET /api/jobs p99, idle and while `crowder` keeps opening
 * its maximum of event streams, each replaying from Last-Event-ID: 0, and
 * more that are refused.
 */
export async function replayCrowding(
  web: Stack,
  crowder: ApiUser,
  other: ApiUser,
  cap: number,
  settings: RealtimeSettings,
  rows: Row[],
) {
  const idle = await listP99(web.baseUrl, other, settings.httpSeconds);
  const crowd = spawn(
    process.execPath,
    ["--import", "tsx", "bench/crowd.ts", `${web.baseUrl}/api/events`, crowder.token, String(cap + 20)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let output = "";
  crowd.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise((resolve) => crowd.once("exit", resolve));
  const crowded = await listP99(web.baseUrl, other, settings.httpSeconds);
  crowd.kill("SIGTERM");
  await exited;
  const { opened, refused } = JSON.parse(output || "{}") as { opened?: number; refused?: number };
  rows.push({
    scenario: "crowding",
    measure: `another user's GET /api/jobs p99 while one user opens ${cap} + 20 streams replaying from 0, every second`,
    ours: `${fmt(crowded, "ms")} (${opened} opened, ${refused} refused)`,
    baseline: `${fmt(idle, "ms")} idle`,
    ratio: crowded / idle,
    goal: "≤ 2×",
    met: crowded / idle <= 2,
  });
}
