/**
 * `npm run bench`: starts its own embedded PostgreSQL, builds the app and
 * runs it in production mode, measures each scenario against its baseline
 * in the same run, prints a table and writes bench/results/latest.{json,md}.
 * `--quick` runs smaller samples; `--no-build` reuses the last build; `--only=drain,lone`
 * runs those scenarios (poll, search, batch, crowding, floods, sse, websockets, drain, logs, traces, when, lone).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { makeWorkerUtils } from "graphile-worker";
import postgres from "postgres";
import * as schema from "@/db/schema";
import { type ApiUser, createApiUser, signInApiUser } from "@/e2e/support/api-user";
import { SseClient } from "@/e2e/support/sse-client";
import { recordProgress, startAttempt } from "@/lib/jobs/lifecycle";
import { launchDatabase } from "@/scripts/database";
import { freePort, type Stack, startStack } from "@/scripts/stack";
import { type DatabaseWork, databaseWorkRows, measureDatabaseWork } from "./database-work";
import { floods } from "./floods";
import { fmt, percentile, type Row } from "./measure";
import { type RealtimeSettings, realtimeAtScale, replayCrowding, sseMemory } from "./realtime";

const quick = process.argv.includes("--quick");
// --only=drain,lone,… runs those scenarios alone (names in the comment above), for a quick look at one.
const only = process.argv
  .find((arg) => arg.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
const runs = (scenario: string) => !only || only.includes(scenario);
const settings = {
  httpSeconds: quick ? 3 : 8,
  httpConnections: 20,
  drainJobs: quick ? 1_000 : 5_000,
  workerConcurrency: 10,
  endToEndJobs: quick ? 100 : 500,
  pushSamples: quick ? 100 : 500,
  smallTable: 10_000,
  largeTable: quick ? 200_000 : 1_000_000,
};
// The realtime goals are stated at these sizes, so --quick keeps them and shortens the phases.
const realtimeSettings: RealtimeSettings = {
  sockets: 10_000,
  sseStreams: 5_000,
  floodPerSecond: 500,
  floodSeconds: quick ? 5 : 10,
  probeSamples: quick ? 150 : 300,
  httpSeconds: settings.httpSeconds,
};
// The connection cap's default (REALTIME_MAX_CONNECTIONS_PER_USER), which the crowding scenario runs into.
const CONNECTION_CAP = 100;

const rows: Row[] = [];

// The user every request is made as (an API token, as a program would call),
// signed up once the first web server is up.
let user: ApiUser;

async function httpLoad(url: string, method: "GET" | "POST", body?: string, authenticated = true) {
  const result = await autocannon({
    url,
    method,
    body,
    headers: { ...(body ? { "content-type": "application/json" } : {}), ...(authenticated ? user.headers : {}) },
    connections: settings.httpConnections,
    duration: settings.httpSeconds,
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx };
}

async function transactions(sql: postgres.Sql): Promise<number> {
  const [row] =
    await sql`select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()`;
  return Number(row?.n ?? 0);
}

/** Database transactions (each of our statements is one) per status poll, over sequential requests. */
async function queriesPerPoll(sql: postgres.Sql, url: string): Promise<number> {
  const polls = 500;
  // A backend publishes its statistics when idle, at the latest after 10 s.
  await sleep(11_000);
  const before = await transactions(sql);
  for (let i = 0; i < polls; i++) await (await fetch(url, { headers: user.headers })).arrayBuffer();
  await sleep(11_000);
  const after = await transactions(sql);
  return (after - before - 1) / polls;
}

async function submitAndPoll(web: Stack, sql: postgres.Sql, db: ReturnType<typeof drizzle<typeof schema>>) {
  const submitBody = JSON.stringify({ type: "test.record", input: {} });
  const trivialPost = await httpLoad(`${web.baseUrl}/api/bench/trivial`, "POST", submitBody, false);
  const submit = await httpLoad(`${web.baseUrl}/api/jobs`, "POST", submitBody);
  if (submit.non2xx > 0) throw new Error(`${submit.non2xx} submits were refused: the figure would be wrong`);
  const submitRatio = submit.rps / trivialPost.rps;
  rows.push({
    scenario: "submit",
    measure: `POST /api/jobs, ${settings.httpConnections} connections`,
    ours: `${fmt(submit.rps, "req/s")} (p99 ${submit.p99} ms)`,
    baseline: `${fmt(trivialPost.rps, "req/s")} trivial 202`,
    ratio: submitRatio,
    goal: "≥ 0.5×",
    met: submitRatio >= 0.5,
  });

  const [job] = await db
    .select({ id: schema.jobs.id })
    .from(schema.jobs)
    .where(eq(schema.jobs.ownerId, user.id))
    .limit(1);
  const statusUrl = `${web.baseUrl}/api/jobs/${job?.id}?redirect=false`;
  const trivialGet = await httpLoad(`${web.baseUrl}/api/bench/trivial`, "GET", undefined, false);
  const poll = await httpLoad(statusUrl, "GET");
  const pollRatio = poll.rps / trivialGet.rps;
  const queries = await queriesPerPoll(sql, statusUrl);
  rows.push({
    scenario: "status poll",
    measure: "GET /api/jobs/{id}",
    ours: `${fmt(poll.rps, "req/s")} (p99 ${poll.p99} ms)`,
    baseline: `${fmt(trivialGet.rps, "req/s")} trivial 200`,
    ratio: pollRatio,
    goal: "≥ 0.5×",
    met: pollRatio >= 0.5,
  });
  rows.push({
    scenario: "status poll",
    measure: "database round trips per poll",
    ours: queries.toFixed(2),
    goal: "exactly 1",
    met: Math.round(queries) === 1,
  });
  return statusUrl;
}

/** Fills jobs up to `size` rows with finished jobs, without notifying anyone. */
async function growTable(sql: postgres.Sql, size: number) {
  const [row] = await sql`select count(*)::int as n from jobs`;
  const missing = size - (row?.n ?? 0);
  if (missing <= 0) return;
  await sql.begin(async (tx) => {
    // A bulk fill: no NOTIFY, timeline or counter for a million finished rows.
    await tx`alter table jobs disable trigger jobs_after_insert`;
    await tx`
      insert into jobs (type, input, max_attempts, state, progress, attempts, created_at, finished_at)
      select 'demo.steps', jsonb_build_object('steps', 1, 'stepMs', 0, 'note', 'w' || (g % 10000)), 3,
             (case when g % 50 = 0 then 'failed' else 'succeeded' end)::job_state, 100, 1,
             now() - g * interval '1 second', now() - g * interval '1 second'
      from generate_series(1, ${missing}) g`;
    await tx`alter table jobs enable trigger jobs_after_insert`;
  });
  await sql`analyze jobs`;
}

async function tableGrowth(sql: postgres.Sql, statusUrl: string) {
  await growTable(sql, settings.smallTable);
  const small = await httpLoad(statusUrl, "GET");
  await growTable(sql, settings.largeTable);
  const large = await httpLoad(statusUrl, "GET");
  const ratio = large.p99 / small.p99;
  rows.push({
    scenario: "table growth",
    measure: `status p99 at ${settings.largeTable.toLocaleString("en")} vs ${settings.smallTable.toLocaleString("en")} rows`,
    ours: `${large.p99} ms`,
    baseline: `${small.p99} ms`,
    ratio,
    goal: "≤ 1.2×",
    met: ratio <= 1.2,
  });
}

/** The admin console's search and state filter, p99 under load, on the table tableGrowth left (largeTable rows). */
async function adminSearch(web: Stack, sql: postgres.Sql) {
  // The bench user becomes an admin (auth_changes drops any cached token at once).
  await sql`update users set role = 'admin' where id = ${user.id}`;
  await sleep(500);
  const [row] = await sql`select count(*)::int as n from jobs`;
  for (const [what, query] of [
    ["search q=", "q=w4242"],
    ["state filter", "state=failed"],
  ] as const) {
    const load = await httpLoad(`${web.baseUrl}/api/admin/jobs?${query}`, "GET");
    if (load.non2xx > 0) throw new Error(`admin ${what}: ${load.non2xx} answers were not 2xx`);
    rows.push({
      scenario: "admin search",
      measure: `GET /api/admin/jobs?${query}, p99 at ${(row?.n ?? 0).toLocaleString("en")} rows`,
      ours: `${load.p99} ms (${fmt(load.rps, "req/s")})`,
      goal: "≤ 200 ms",
      met: load.p99 <= 200,
    });
  }
}

/**
 * Jobs accepted per second through POST /api/batches (1,000 per request,
 * one request at a time) vs graphile-worker's own addJobs of the same
 * number of jobs, on the same database.
 */
async function batchAccept(web: Stack, sql: postgres.Sql, databaseUrl: string) {
  const rounds = quick ? 5 : 20;
  const size = 1_000;
  const body = JSON.stringify({ jobs: Array.from({ length: size }, () => ({ type: "test.record", input: {} })) });
  let oursRate = 0;
  // The web process is still running: its statistics arrive once it has been idle a while (settle).
  const oursWork = await measureDatabaseWork(
    sql,
    async () => {
      const oursStart = performance.now();
      for (let round = 0; round < rounds; round++) {
        const response = await fetch(`${web.baseUrl}/api/batches`, {
          method: "POST",
          headers: { "Content-Type": "application/json", ...user.headers },
          body,
        });
        if (response.status !== 202) throw new Error(`batch answered ${response.status}: ${await response.text()}`);
      }
      oursRate = (rounds * size) / ((performance.now() - oursStart) / 1000);
    },
    { settle: true },
  );

  const utils = await makeWorkerUtils({ connectionString: databaseUrl });
  const specs = Array.from({ length: size }, () => ({ identifier: "bench.noop", payload: {} }));
  let rawRate = 0;
  const rawWork = await measureDatabaseWork(
    sql,
    async () => {
      const rawStart = performance.now();
      for (let round = 0; round < rounds; round++) await utils.addJobs(specs);
      rawRate = (rounds * size) / ((performance.now() - rawStart) / 1000);
    },
    { settle: true },
  );
  await utils.release();
  databaseWorkRows(
    `batch submit of ${size.toLocaleString("en")}`,
    oursWork,
    rounds * size,
    rawWork,
    rounds * size,
    rows,
  );
  await sql`delete from graphile_worker._private_jobs`;
  rows.push({
    scenario: "batch submit",
    measure: `POST /api/batches of ${size.toLocaleString("en")}, ${rounds} in a row`,
    ours: fmt(oursRate, "jobs/s"),
    baseline: `${fmt(rawRate, "jobs/s")} graphile-worker addJobs`,
    ratio: oursRate / rawRate,
    goal: "≥ 0.5×",
    met: oursRate / rawRate >= 0.5,
  });
}

/** Worker progress write → event received by an SSE client of the web server. */
async function pushLatency(web: Stack, db: ReturnType<typeof drizzle<typeof schema>>) {
  const [job] = await db
    .insert(schema.jobs)
    .values({ type: "demo.steps", input: { steps: 1, stepMs: 0 }, maxAttempts: 1, ownerId: user.id })
    .returning();
  if (!job) throw new Error("no job row");
  await startAttempt(db, job.id, 1);
  const stream = await SseClient.open(`${web.baseUrl}/api/jobs/${job.id}/events`, user.headers);
  await stream.waitFor((events) => events.length > 0);
  const latencies: number[] = [];
  for (let i = 1; i <= settings.pushSamples; i++) {
    const before = stream.events.length;
    const start = performance.now();
    await recordProgress(db, job.id, 1, { percent: (i % 99) + 1, message: `sample ${i}` });
    await stream.waitFor((events) => events.length > before, 5_000);
    latencies.push(performance.now() - start);
    await sleep(5);
  }
  stream.close();
  await db.delete(schema.jobs).where(eq(schema.jobs.id, job.id));
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  rows.push({
    scenario: "push",
    measure: `write → SSE event, p50 of ${settings.pushSamples}`,
    ours: fmt(p50, "ms"),
    goal: "≤ 10 ms",
    met: p50 <= 10,
  });
  rows.push({
    scenario: "push",
    measure: `write → SSE event, p99 of ${settings.pushSamples}`,
    ours: fmt(p99, "ms"),
    goal: "≤ 50 ms",
    met: p99 <= 50,
  });
}

function startWorkerProcess(
  script: string,
  databaseUrl: string,
  log: string,
  env: Record<string, string> = {},
): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      WORKER_CONCURRENCY: String(settings.workerConcurrency),
      LOG_LEVEL: "warn",
      ACCEPTED_PROCESS: "worker",
      ACCEPTED_TEST_JOB_TYPES: "1",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = createWriteStream(log);
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return child;
}

async function stopProcess(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/** Checks until `check` holds; returns how many checks (each a commit of the bench's own, when it queries). */
async function waitUntil(check: () => Promise<boolean>, timeoutMs = 600_000, intervalMs = 50): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let checks = 1;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(intervalMs);
    checks++;
  }
  return checks;
}

/**
 * How the drain's jobs are laid out: "fair" as the submit queues them (ten
 * owners, each owner's jobs a round apart: lib/jobs/fair-share.ts); "fifo"
 * the same owners, all at priority 0 (first in, first out); "ownerless"
 * fifo without owners, so no owner's count of unfinished jobs moves.
 */
type Layout = "fair" | "fifo" | "ownerless";

/**
 * Queues `n` no-op jobs in one statement, laid out as `layout` says, each
 * flagged with its type: test.chatty logging nothing, a job that costs only
 * what the queue and the lifecycle cost (demo.steps logs three lines a job:
 * what logging costs is the logs scenario's).
 */
const queueNoOps = (sql: postgres.Sql, n: number, layout: Layout) => queueChatty(sql, n, 0, layout);

// graphile-worker's own batching, as its performance docs suggest trying: both sides get the same.
const GRAPHILE_BATCHING = { WORKER_LOCAL_QUEUE_SIZE: "50", WORKER_COMPLETE_BATCH_MS: "0" };

/** Our worker drains `n` queued no-op jobs; seconds from queueing to the last success. */
async function drainOurs(
  sql: postgres.Sql,
  databaseUrl: string,
  n: number,
  variant: { label: string; layout: Layout; env?: Record<string, string>; queue?: (n: number) => Promise<void> },
): Promise<{ seconds: number; work: DatabaseWork }> {
  await sql`truncate jobs, job_files, job_events, idempotency_keys, job_owner_quotas cascade`;
  await sql`delete from graphile_worker._private_jobs`;
  const ours = startWorkerProcess(
    "worker/index.ts",
    databaseUrl,
    `bench/results/drain-ours-${variant.label}.log`,
    variant.env,
  );
  await sleep(4_000); // started and listening
  let seconds = 0;
  let polls = 0;
  // From the queueing to the worker's exit (which reports its statistics).
  const work = await measureDatabaseWork(sql, async () => {
    const start = performance.now();
    await (variant.queue ? variant.queue(n) : queueNoOps(sql, n, variant.layout));
    polls = await waitUntil(
      async () => (await sql`select 1 from jobs where state <> 'succeeded' limit 1`).length === 0,
    );
    seconds = (performance.now() - start) / 1000;
    await stopProcess(ours);
  });
  return { seconds, work: { ...work, commits: work.commits - polls } };
}

/** Raw graphile-worker drains `n` no-op jobs; seconds from queueing to the last completion. */
async function drainRaw(
  sql: postgres.Sql,
  databaseUrl: string,
  n: number,
  env: Record<string, string> = {},
): Promise<{ seconds: number; work: DatabaseWork }> {
  await sql`delete from graphile_worker._private_jobs`;
  const raw = startWorkerProcess("bench/raw-worker.ts", databaseUrl, "bench/results/drain-raw.log", env);
  await sleep(4_000);
  let seconds = 0;
  let polls = 0;
  const work = await measureDatabaseWork(sql, async () => {
    const start = performance.now();
    await sql`
      select graphile_worker.add_jobs(array(
        select row('bench.noop', '{}'::json, null, null, 1, null, null, null)::graphile_worker.job_spec
        from generate_series(1, ${n})))`;
    polls = await waitUntil(async () => (await sql`select 1 from graphile_worker._private_jobs limit 1`).length === 0);
    seconds = (performance.now() - start) / 1000;
    await stopProcess(raw);
  });
  return { seconds, work: { ...work, commits: work.commits - polls } };
}

/**
 * N no-op jobs through our jobs table and worker vs raw graphile-worker,
 * same database and settings: with defaults (our writes batched as group
 * commits, the queue laid out by fair sharing), with our
 * write batching off, first-in-first-out, and with graphile-worker's own
 * batching on both sides.
 */
async function drain(sql: postgres.Sql, databaseUrl: string) {
  const n = settings.drainJobs;
  const fairRun = await drainOurs(sql, databaseUrl, n, { label: "default", layout: "fair" });
  const fair = fairRun.seconds;
  const { seconds: unbatched } = await drainOurs(sql, databaseUrl, n, {
    label: "unbatched",
    layout: "fair",
    env: { WORKER_BATCH_WRITES: "0" },
  });
  const { seconds: fifo } = await drainOurs(sql, databaseUrl, n, { label: "fifo", layout: "fifo" });
  const { seconds: ownerless } = await drainOurs(sql, databaseUrl, n, { label: "ownerless", layout: "ownerless" });
  const rawRun = await drainRaw(sql, databaseUrl, n);
  const raw = rawRun.seconds;
  const { seconds: fairBatched } = await drainOurs(sql, databaseUrl, n, {
    label: "graphile-batching",
    layout: "fair",
    env: GRAPHILE_BATCHING,
  });
  const { seconds: rawBatched } = await drainRaw(sql, databaseUrl, n, GRAPHILE_BATCHING);
  databaseWorkRows(`drain of ${n.toLocaleString("en")} no-op jobs, defaults`, fairRun.work, n, rawRun.work, n, rows);

  const measure = `${n.toLocaleString("en")} no-op jobs, concurrency ${settings.workerConcurrency}`;
  const rawBaseline = `${fmt(n / raw, "jobs/s")} raw graphile-worker`;
  const row = (label: string, seconds: number, baselineSeconds: number, baseline: string, goal = "≥ 0.6×") =>
    rows.push({
      scenario: "drain",
      measure: `${measure}, ${label}`,
      ours: fmt(n / seconds, "jobs/s"),
      baseline,
      ratio: baselineSeconds / seconds,
      goal,
      met: baselineSeconds / seconds >= 0.6,
    });
  row("defaults (writes batched, fair sharing, 10 owners)", fair, raw, rawBaseline);
  row("our write batching off (WORKER_BATCH_WRITES=0)", unbatched, raw, rawBaseline, "for comparison");
  row("same owners, first-in-first-out (no fair priorities)", fifo, raw, rawBaseline, "for comparison");
  row("no owners (no cap counters move), first-in-first-out", ownerless, raw, rawBaseline, "for comparison");
  row(
    "graphile-worker's batching on, both sides (local queue 50, batched completion)",
    fairBatched,
    rawBatched,
    `${fmt(n / rawBatched, "jobs/s")} raw graphile-worker, same options`,
  );
  rows.push({
    scenario: "drain",
    measure: "what fair priorities cost the drain (fair layout vs the same owners first-in-first-out, same run)",
    ours: `${((fair / fifo - 1) * 100).toFixed(1)} %`,
    goal: "≤ 5 %",
    met: fair / fifo <= 1.05,
  });
}

/** Queues `n` test.chatty jobs that each log `lines` lines, in one statement, laid out as `layout` says. */
async function queueChatty(sql: postgres.Sql, n: number, lines: number, layout: Layout = "fair") {
  const fair = layout === "fair";
  const owned = layout !== "ownerless";
  const input = JSON.stringify({ lines, size: 60, everyMs: 0 });
  await sql`
    with rows as (
      insert into jobs (type, input, max_attempts, owner_id, priority)
      select 'test.chatty', ${input}::jsonb, 1,
             case when ${owned} then 'bench-owner-' || (i % 10) end,
             case when ${fair} then (i / 10)::int else 0 end
      from generate_series(0, ${n} - 1) as i
      returning id, priority)
    select graphile_worker.add_jobs(array(
      select row('test.chatty', json_build_object('jobId', id::text), null, null, 1, id::text, priority,
                 array['test.chatty'])::graphile_worker.job_spec
      from rows))`;
}

/**
 * What a job's own log costs: the same drain of jobs that log 100 lines
 * each against jobs of the same type that log none, same run; and how soon
 * a logged line reaches a follower of the job's event stream.
 */
async function jobLogCost(sql: postgres.Sql, databaseUrl: string) {
  const n = Math.round(settings.drainJobs / 2);
  const silent = await drainOurs(sql, databaseUrl, n, {
    label: "logs-none",
    layout: "fair",
    queue: (count) => queueChatty(sql, count, 0),
  });
  const chatty = await drainOurs(sql, databaseUrl, n, {
    label: "logs-100",
    layout: "fair",
    queue: (count) => queueChatty(sql, count, 100),
  });
  const [stored] = await sql<{ lines: number }[]>`select count(*)::int as lines from job_logs`;
  rows.push({
    scenario: "logs",
    measure: `drain of ${n.toLocaleString("en")} jobs logging 100 lines each (${stored?.lines.toLocaleString("en")} lines stored), against the same jobs logging none`,
    ours: fmt(n / chatty.seconds, "jobs/s"),
    baseline: fmt(n / silent.seconds, "jobs/s"),
    ratio: silent.seconds / chatty.seconds,
    goal: "≥ 0.5×",
    met: silent.seconds / chatty.seconds >= 0.5,
  });
  rows.push({
    scenario: "logs",
    measure: "commits per job, logging 100 lines against none (one INSERT per flush, not per line)",
    ours: (chatty.work.commits / n).toFixed(2),
    baseline: (silent.work.commits / n).toFixed(2),
    ratio: silent.work.commits / chatty.work.commits,
    goal: "for comparison",
  });
}

/** A logged line's time (the handler's call) to its `event: log` on the job's stream, p50 and p99. */
async function logPushLatency(full: Stack) {
  const latencies: number[] = [];
  const jobs = quick ? 10 : 30;
  for (let index = 0; index < jobs; index++) {
    const response = await fetch(`${full.baseUrl}/api/jobs`, {
      method: "POST",
      headers: { ...user.headers, "Content-Type": "application/json" },
      body: JSON.stringify({ type: "test.chatty", input: { lines: 20, everyMs: 40 } }),
    });
    const { id } = (await response.json()) as { id: string };
    const stream = await SseClient.open(`${full.baseUrl}/api/jobs/${id}/events?logs=true`, user.headers);
    const received = new Map<number, number>();
    stream.onEvent = (event) => {
      if (event.event === "log") received.set(JSON.parse(event.data).id, Date.now());
    };
    await stream.done;
    for (const event of stream.events) {
      if (event.event !== "log") continue;
      const line = JSON.parse(event.data) as { id: number; at: string };
      latencies.push((received.get(line.id) ?? Date.now()) - Date.parse(line.at));
    }
  }
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  rows.push({
    scenario: "logs",
    measure: `a logged line → its SSE event (?logs=true), p50 of ${latencies.length} (a line every 40 ms; written every 250 ms)`,
    ours: fmt(p50, "ms"),
    goal: "≤ 300 ms",
    met: p50 <= 300,
  });
  rows.push({
    scenario: "logs",
    measure: `a logged line → its SSE event, p99 of ${latencies.length}`,
    ours: fmt(p99, "ms"),
    goal: "≤ 1,000 ms",
    met: p99 <= 1_000,
  });
}

/** What exporting traces costs the worker: the same drain with an OTLP endpoint (a sink here) and without. */
async function tracingCost(sql: postgres.Sql, databaseUrl: string) {
  const sink = createServer((request, response) => {
    request.resume();
    request.on("end", () => response.writeHead(200, { "Content-Type": "application/json" }).end("{}"));
  });
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  try {
    const n = Math.round(settings.drainJobs / 2);
    const off = await drainOurs(sql, databaseUrl, n, { label: "tracing-off", layout: "fair" });
    const on = await drainOurs(sql, databaseUrl, n, {
      label: "tracing-on",
      layout: "fair",
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" },
    });
    rows.push({
      scenario: "traces",
      measure: `drain of ${n.toLocaleString("en")} no-op jobs, traces exported (an attempt span and its writes' per job), against tracing off`,
      ours: fmt(n / on.seconds, "jobs/s"),
      baseline: fmt(n / off.seconds, "jobs/s"),
      ratio: off.seconds / on.seconds,
      goal: "for comparison",
    });
  } finally {
    sink.close();
  }
}

/**
 * The drain while another connection holds a transaction open (its
 * snapshot keeps vacuum from removing any row version written after it):
 * rounds of `n` jobs through one running worker, first with nothing held,
 * then with the transaction open for 5 rounds more. Every dead version
 * stays, so whatever rewrites one hot row per job slows round by round.
 */
async function drainWithOpenTransaction(sql: postgres.Sql, databaseUrl: string) {
  const n = settings.drainJobs;
  const heldRounds = 5;
  await sql`truncate jobs, job_files, job_events, idempotency_keys, job_owner_quotas cascade`;
  await sql`delete from graphile_worker._private_jobs`;
  const worker = startWorkerProcess("worker/index.ts", databaseUrl, "bench/results/drain-ours-held.log");
  await sleep(4_000);
  const round = async () => {
    const start = performance.now();
    await queueNoOps(sql, n, "fair");
    await waitUntil(async () => (await sql`select 1 from jobs where state <> 'succeeded' limit 1`).length === 0);
    return n / ((performance.now() - start) / 1000);
  };
  const open = await round();
  const holder = await sql.reserve();
  let held = 0;
  try {
    await holder`begin isolation level repeatable read`;
    await holder`select txid_current()`;
    for (let index = 0; index < heldRounds; index++) held = await round();
  } finally {
    await holder`rollback`;
    holder.release();
    await stopProcess(worker);
  }
  const [dead] = await sql<{ jobs: number; quotas: number }[]>`
    select (select n_dead_tup from pg_stat_user_tables where relname = 'jobs')::int as jobs,
           (select n_dead_tup from pg_stat_user_tables where relname = 'job_owner_quotas')::int as quotas`;
  rows.push({
    scenario: "drain",
    measure: `with a transaction left open for ${(heldRounds * n).toLocaleString("en")} jobs: the last of ${heldRounds} rounds of ${n.toLocaleString("en")} (dead row versions then: jobs ${dead?.jobs ?? "?"}, owner counters ${dead?.quotas ?? "?"})`,
    ours: fmt(held, "jobs/s"),
    baseline: `${fmt(open, "jobs/s")} the round before, nothing held`,
    ratio: held / open,
    goal: "≥ 0.85×",
    met: held / open >= 0.85,
  });
}

/**
 * A lone no-op job, one at a time: ours from POST /api/jobs to its row
 * saying succeeded, raw graphile-worker's from add_job to the job gone;
 * both noticed by polling the database every millisecond.
 */
async function loneLatency(full: Stack, sql: postgres.Sql, databaseUrl: string) {
  const samples = quick ? 20 : 50;
  const ours: number[] = [];
  // The bench's own polls (a commit each, every millisecond) are not the jobs' cost: made on one connection of their
  // own, whose statistics are flushed before the count is read, and subtracted.
  const poller = await sql.reserve();
  let oursPolls = 0;
  let rawPolls = 0;
  const flushPolls = () => poller`select pg_stat_force_next_flush()`;
  // From the first submit to web and worker stopped (which reports their statistics).
  const oursWork = await measureDatabaseWork(sql, async () => {
    for (let i = 0; i < samples; i++) {
      const start = performance.now();
      const response = await fetch(`${full.baseUrl}/api/jobs`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...user.headers },
        body: JSON.stringify({ type: "demo.steps", input: { steps: 1, stepMs: 0 } }),
      });
      const { id } = (await response.json()) as { id: string };
      oursPolls += await waitUntil(
        async () => (await poller`select 1 from jobs where id = ${id} and state = 'succeeded'`).length > 0,
        10_000,
        1,
      );
      ours.push(performance.now() - start);
    }
    await full.stop();
    await flushPolls();
  });
  const raw = startWorkerProcess("bench/raw-worker.ts", databaseUrl, "bench/results/lone-raw.log");
  await sleep(4_000);
  const rawTimes: number[] = [];
  const rawWork = await measureDatabaseWork(sql, async () => {
    for (let i = 0; i < samples; i++) {
      const start = performance.now();
      const [job] = await sql`select id from graphile_worker.add_job('bench.noop')`;
      rawPolls += await waitUntil(
        async () => (await poller`select 1 from graphile_worker._private_jobs where id = ${job?.id}`).length === 0,
        10_000,
        1,
      );
      rawTimes.push(performance.now() - start);
    }
    await stopProcess(raw);
    await flushPolls();
  });
  poller.release();
  databaseWorkRows(
    `lone jobs, ${samples} one at a time (and the processes' stopping)`,
    { ...oursWork, commits: oursWork.commits - oursPolls },
    samples,
    { ...rawWork, commits: rawWork.commits - rawPolls },
    samples,
    rows,
  );
  const ratio = percentile(ours, 50) / percentile(rawTimes, 50);
  rows.push({
    scenario: "lone job",
    measure: `submit → succeeded, p50 of ${samples} one at a time`,
    ours: `${fmt(percentile(ours, 50), "ms")} (p99 ${fmt(percentile(ours, 99), "ms")})`,
    baseline: `${fmt(percentile(rawTimes, 50), "ms")} raw add → complete`,
    ratio,
    goal: "≤ 2×",
    met: ratio <= 2,
  });
}

/**
 * When a job runs. A scheduled job's start against its runAt (the workers are
 * told when it comes due), beside a job sent to run at once: submit to start.
 * And a quick job answered in one request (`Prefer: wait=5`) against the best
 * the contract offered before: the 202, then a long poll on its status URI.
 */
async function whenJobsRun(full: Stack, sql: postgres.Sql) {
  const samples = quick ? 30 : 100;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${full.baseUrl}/api/jobs`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...user.headers, ...headers },
      body: JSON.stringify(body),
      redirect: "manual",
    });
  const quickJob = { type: "demo.steps", input: { steps: 1, stepMs: 0 } };
  // Lateness: started (or finished, for a start never written) less runAt, from the rows.
  const startsAfter = async (ids: string[], from: "run_at" | "created_at") => {
    await waitUntil(
      async () =>
        (await sql`select count(*)::int as n from jobs where id = any(${ids}::uuid[]) and finished_at is not null`)[0]
          ?.n === ids.length,
      60_000,
      50,
    );
    const rows = await sql<{ ms: number }[]>`
      select extract(epoch from coalesce(started_at, finished_at) - ${sql(from)})::float8 * 1000 as ms
      from jobs where id = any(${ids}::uuid[])`;
    return rows.map((row) => row.ms);
  };
  const idOf = async (response: Response) => {
    if (response.status !== 202) throw new Error(`a submit answered ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { id: string }).id;
  };
  const scheduled: string[] = [];
  const spreadMs = 3_000;
  const base = Date.now() + 1_500;
  await Promise.all(
    Array.from({ length: samples }, async (_, index) => {
      const runAt = new Date(base + Math.round((index * spreadMs) / samples)).toISOString();
      scheduled.push(await idOf(await post({ ...quickJob, runAt })));
    }),
  );
  const late = await startsAfter(scheduled, "run_at");
  const immediate: string[] = [];
  for (let index = 0; index < samples; index++) {
    immediate.push(await idOf(await post(quickJob)));
    await sleep(spreadMs / samples);
  }
  const toStart = await startsAfter(immediate, "created_at");
  rows.push({
    scenario: "when",
    measure: `a job with runAt: its start after runAt, p50 (p99) of ${samples} spread over 3 s`,
    ours: `${fmt(percentile(late, 50), "ms")} (${fmt(percentile(late, 99), "ms")})`,
    baseline: `${fmt(percentile(toStart, 50), "ms")} (${fmt(percentile(toStart, 99), "ms")}) submit → start, sent to run at once`,
    ratio: percentile(late, 50) / percentile(toStart, 50),
    goal: "starts within 1 s of its runAt (p99)",
    met: percentile(late, 99) < 1_000,
  });

  const waited: number[] = [];
  const followed: number[] = [];
  for (let index = 0; index < samples; index++) {
    let start = performance.now();
    const answer = await post(quickJob, { Prefer: "wait=5" });
    await answer.arrayBuffer();
    if (answer.status !== 303) throw new Error(`Prefer: wait answered ${answer.status}`);
    waited.push(performance.now() - start);

    start = performance.now();
    const accepted = await post(quickJob);
    let job = (await accepted.json()) as { id: string; version: number };
    for (;;) {
      const monitor = await fetch(`${full.baseUrl}/api/jobs/${job.id}`, {
        headers: { ...user.headers, "If-None-Match": `W/"${job.version}"`, Prefer: "wait=10" },
        redirect: "manual",
      });
      if (monitor.status === 303) {
        await monitor.arrayBuffer();
        break;
      }
      if (monitor.status === 200) job = (await monitor.json()) as typeof job;
      else await monitor.arrayBuffer();
    }
    followed.push(performance.now() - start);
  }
  const ratio = percentile(waited, 50) / percentile(followed, 50);
  rows.push({
    scenario: "when",
    measure: `a quick job to its 303, Prefer: wait=5 in one request, p50 (p99) of ${samples}`,
    ours: `${fmt(percentile(waited, 50), "ms")} (${fmt(percentile(waited, 99), "ms")})`,
    baseline: `${fmt(percentile(followed, 50), "ms")} (${fmt(percentile(followed, 99), "ms")}) 202, then long polls`,
    ratio,
    // No slower than following the 202 (within this machine's noise, about 10 %), in one request instead of two or more.
    goal: "≤ 1.1×",
    met: ratio <= 1.1,
  });
}

/** Submit over HTTP and wait until every job succeeded. */
async function endToEnd(stack: Stack, sql: postgres.Sql) {
  const n = settings.endToEndJobs;
  const ids: string[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < n) {
        next++;
        const response = await fetch(`${stack.baseUrl}/api/jobs`, {
          method: "POST",
          headers: { "Content-Type": "application/json", ...user.headers },
          body: JSON.stringify({ type: "demo.steps", input: { steps: 1, stepMs: 0 } }),
        });
        ids.push(((await response.json()) as { id: string }).id);
      }
    }),
  );
  await waitUntil(
    async () =>
      (await sql`select 1 from jobs where id = any(${ids}::uuid[]) and state <> 'succeeded' limit 1`).length === 0,
  );
  const seconds = (performance.now() - started) / 1000;
  const durations = await sql<{ ms: number }[]>`
    select extract(epoch from finished_at - created_at) * 1000 as ms from jobs where id = any(${ids}::uuid[])`;
  const ms = durations.map((row) => Number(row.ms));
  rows.push({
    scenario: "end to end",
    measure: `${n} jobs over HTTP, 10 clients`,
    ours: `${fmt(n / seconds, "jobs/s")}; submit→done p50 ${fmt(percentile(ms, 50), "ms")}, p99 ${fmt(percentile(ms, 99), "ms")}`,
  });
}

function table(): string {
  const header = ["scenario", "measure", "ours", "baseline", "ratio", "goal", ""];
  const body = rows.map((row) => [
    row.scenario,
    row.measure,
    row.ours,
    row.baseline ?? "",
    row.ratio === undefined ? "" : `${row.ratio.toFixed(2)}×`,
    row.goal ?? "",
    row.met === undefined ? "" : row.met ? "met" : "NOT met",
  ]);
  return [header, header.map(() => "---"), ...body].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

async function main() {
  // The benchmark's own build (with its baseline route, in .next-bench) and its test job types.
  const env = { NEXT_TELEMETRY_DISABLED: "1", ACCEPTED_BENCH_ROUTES: "1", ACCEPTED_TEST_JOB_TYPES: "1" };
  if (!process.argv.includes("--no-build")) {
    const built = spawnSync("node_modules/.bin/next", ["build"], { stdio: "inherit", env: { ...process.env, ...env } });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  await mkdir("bench/results", { recursive: true });
  const started = Date.now();
  const database = await launchDatabase({
    dataSubdir: `bench-postgres-${process.pid}`,
    port: await freePort(),
    persistent: false,
  });
  const sql = postgres(database.url, { max: 4, onnotice: () => {} });
  const db = drizzle(sql, { schema });
  const startApp = async (worker: boolean, extraEnv: Record<string, string> = {}) =>
    startStack({
      mode: "production",
      port: await freePort(),
      databaseUrl: database.url,
      output: createWriteStream(`bench/results/servers-${worker ? "full" : "web"}.log`, { flags: "a" }),
      env: {
        ...env,
        LOG_LEVEL: "warn",
        WORKER_CONCURRENCY: String(settings.workerConcurrency),
        ...extraEnv,
      },
      worker,
    });
  try {
    // The web server alone: HTTP scenarios measure the server, not a worker beside it.
    const web = await startApp(false);
    user = await createApiUser(web.baseUrl, "bench");
    // Its load is the point: no cap on its unfinished jobs.
    await sql`insert into job_owner_quotas (owner_id, max_unfinished) values (${user.id}, 1000000000)
      on conflict (owner_id) do update set max_unfinished = excluded.max_unfinished`;
    try {
      if (runs("poll")) {
        console.log("submit and status poll…");
        const statusUrl = await submitAndPoll(web, sql, db);
        console.log("push latency…");
        await pushLatency(web, db);
        console.log("table growth…");
        await tableGrowth(sql, statusUrl);
      }
      if (runs("search")) {
        console.log("admin search…");
        await adminSearch(web, sql);
      }
      if (runs("batch")) {
        console.log("batch submit…");
        await batchAccept(web, sql, database.url);
      }
      const other = await createApiUser(web.baseUrl, "bench-other");
      if (runs("crowding")) {
        console.log("replaying connections of one user…");
        await replayCrowding(web, user, other, CONNECTION_CAP, realtimeSettings, rows);
      }
      if (runs("floods")) {
        console.log("one user's floods of uploads, WebSocket messages and test sends…");
        await floods(web, sql, await createApiUser(web.baseUrl, "bench-flooder"), other, settings.httpSeconds, rows);
      }
    } finally {
      await web.stop();
    }
    // Fresh web processes, so garbage from the load above does not blur their RSS;
    // thousands of connections from one user, so no cap in the way.
    const uncapped = { REALTIME_MAX_CONNECTIONS_PER_USER: "100000" };
    if (runs("sse")) {
      console.log("idle SSE streams…");
      const quiet = await startApp(false, uncapped);
      try {
        await sseMemory(quiet, user, realtimeSettings, rows);
      } finally {
        await quiet.stop();
      }
    }
    if (runs("websockets")) {
      console.log("WebSockets at scale…");
      const sockets = await startApp(false, uncapped);
      try {
        const watcher = await signInApiUser(sockets.baseUrl, user.email, user.password);
        const owner = await createApiUser(sockets.baseUrl, "bench-owner");
        await realtimeAtScale(sockets, db, sql, database.url, { watcher, owner }, realtimeSettings, rows);
      } finally {
        await sockets.stop();
      }
    }
    if (runs("drain")) {
      console.log("drain…");
      await drain(sql, database.url);
      console.log("drain with a transaction left open…");
      await drainWithOpenTransaction(sql, database.url);
    }
    if (runs("traces")) {
      console.log("tracing's cost…");
      await tracingCost(sql, database.url);
    }
    if (runs("logs")) {
      console.log("job logs: their cost and push latency…");
      await jobLogCost(sql, database.url);
      const full = await startApp(true);
      try {
        await logPushLatency(full);
      } finally {
        await full.stop();
      }
    }
    if (runs("when")) {
      console.log("when a job runs…");
      const full = await startApp(true);
      try {
        await whenJobsRun(full, sql);
      } finally {
        await full.stop();
      }
    }
    if (runs("lone")) {
      console.log("end to end…");
      const full = await startApp(true);
      try {
        await endToEnd(full, sql);
        console.log("lone job…");
        await loneLatency(full, sql, database.url);
      } finally {
        await full.stop();
      }
    }

    const cpu = os.cpus();
    const machine = `${cpu.length} cores (${cpu[0]?.model ?? "?"}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, PostgreSQL (embedded) ${(await sql`show server_version`)[0]?.server_version}`;
    const report = [
      `# Benchmark report`,
      ``,
      `${new Date().toISOString()}${quick ? " (--quick)" : ""}, ${((Date.now() - started) / 1000).toFixed(0)} s`,
      ``,
      `Machine: ${machine}`,
      ``,
      `Settings: ${JSON.stringify(settings)}`,
      ``,
      table(),
      ``,
    ].join("\n");
    console.log(`\n${report}`);
    await writeFile("bench/results/latest.json", JSON.stringify({ machine, quick, settings, rows }, null, 2));
    await writeFile("bench/results/latest.md", report);
  } finally {
    await sql.end({ timeout: 5 });
    await database.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
