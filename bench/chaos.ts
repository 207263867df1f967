/**
 * `npm run chaos`: the fault scenarios of the independent PostgreSQL
 * job-queue chaos benchmark (hardbyte/postgresql-job-queue-benchmarking), on
 * this machine without containers. For each scenario, a fresh PostgreSQL of
 * its own (pg_ctl), a socat link in front of it, the app's web and worker
 * processes restarted as `npm start` restarts them, and a steady submit rate
 * of about half what the machine sustains; then four phases: warmup,
 * baseline, fault, recovery.
 *
 * Per scenario: the recovery ratio (recovery-phase median completions a
 * second over the baseline's), the seconds after the fault until the rate is
 * back to 90 %, and what the benchmark does not check: every 202 ends in a
 * final state (none lost, none stuck), a job's effect recorded twice only
 * when a kill interrupted its first attempt, pushes flowing again, and no
 * 500 from the API (a fast 503 is fine).
 *
 * `npm run chaos [-- --quick] [--only=name,name] [--rate=N]`; the table goes
 * to the terminal and bench/results/chaos-latest.{json,md}.
 */
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import { migrateDatabase } from "@/db/migrate";
import { type ApiUser, createApiUser } from "@/e2e/support/api-user";
import { buildIfStale } from "@/scripts/build";
import { freePort, type Stack, startStack } from "@/scripts/stack";
import { ChaosLink, ChaosPostgres } from "./chaos-infra";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const only = argv
  .find((arg) => arg.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
const phases = quick
  ? { warmup: 5, baseline: 15, fault: 15, recovery: 45, idleTransaction: 60 }
  : { warmup: 10, baseline: 30, fault: 30, recovery: 60, idleTransaction: 240 };
// Jobs submitted a second: about half of what this 2-core machine drains with web, worker and PostgreSQL on it.
const rate = Number(argv.find((arg) => arg.startsWith("--rate="))?.slice("--rate=".length) ?? 40);
const RESULTS = "bench/results";

function kill(pid: number | undefined) {
  if (pid) process.kill(pid, "SIGKILL");
}

interface World {
  pg: ChaosPostgres;
  link: ChaosLink;
  /** SIGKILLs the worker process (`npm start`'s supervision starts it again). */
  killWorker(): void;
  /** Straight to PostgreSQL, past the link: to inject faults and to read the outcome. */
  direct: postgres.Sql;
}

interface Scenario {
  name: string;
  what: string;
  /** Runs the fault for its phase, and ends it. */
  fault(world: World, seconds: number): Promise<void>;
  /** How long the fault lasts, if not the usual. */
  seconds?: number;
}

/** The benchmark's injection, from a connection of its own each time (it ends its own backend too). */
async function killBackends(world: World, which: string) {
  const killer = postgres(world.pg.url(), { max: 1, onnotice: () => {} });
  try {
    await killer.unsafe(`select pg_terminate_backend(pid) from pg_stat_activity where ${which}`);
  } catch {
    // it may have ended itself
  } finally {
    await killer.end({ timeout: 1 }).catch(() => {});
  }
}

// Exactly the benchmark's: its own backend is among those it ends.
const STORM = "datname = current_database() AND state IN ('active', 'idle in transaction')";

function postgresStopped(mode: "fast" | "immediate", what: string): Scenario {
  return {
    name: `postgres-stop-${mode}`,
    what,
    async fault(world, seconds) {
      world.pg.stop(mode);
      await sleep(seconds * 1000);
      world.pg.start();
    },
  };
}

const scenarios: Scenario[] = [
  {
    name: "worker-kill",
    what: "the worker SIGKILLed once",
    async fault(world, seconds) {
      world.killWorker();
      await sleep(seconds * 1000);
    },
  },
  {
    name: "worker-kill-every-20s",
    what: "the worker SIGKILLed every 20 s",
    async fault(world, seconds) {
      for (let at = 0; at < seconds; at += 20) {
        world.killWorker();
        await sleep(Math.min(20, seconds - at) * 1000);
      }
    },
    seconds: quick ? 40 : 60,
  },
  postgresStopped("fast", "PostgreSQL stopped (pg_ctl -m fast), started again after the fault"),
  postgresStopped(
    "immediate",
    "PostgreSQL stopped (pg_ctl -m immediate, as in a crash), started again after the fault",
  ),
  {
    name: "backend-kill-storm",
    what: "pg_terminate_backend of every active or idle-in-transaction backend, twice a second",
    async fault(world, seconds) {
      const until = Date.now() + seconds * 1000;
      while (Date.now() < until) {
        await killBackends(world, STORM);
        await sleep(500);
      }
    },
  },
  {
    name: "listen-kill",
    what: "every LISTEN connection terminated, once",
    async fault(world, seconds) {
      await killBackends(world, "query ilike 'listen%' and pid <> pg_backend_pid()");
      await sleep(seconds * 1000);
    },
  },
  {
    name: "pool-exhaustion",
    what: "300 idle connections held open",
    async fault(world, seconds) {
      const hog = postgres(world.pg.url(), { max: 300, idle_timeout: 0, onnotice: () => {} });
      try {
        await Promise.allSettled(Array.from({ length: 300 }, () => hog.reserve().then((connection) => connection)));
        await sleep(seconds * 1000);
      } finally {
        await hog.end({ timeout: 1 }).catch(() => {});
      }
    },
  },
  {
    name: "idle-transaction",
    what: "a transaction left open and idle (vacuum held back)",
    async fault(world, seconds) {
      const holder = await world.direct.reserve();
      try {
        await holder`begin`;
        await holder`select txid_current()`;
        await sleep(seconds * 1000);
        await holder`rollback`;
      } finally {
        holder.release();
      }
    },
    seconds: phases.idleTransaction,
  },
  {
    name: "row-lock",
    what: "a transaction holding one unfinished job's row FOR UPDATE",
    async fault(world, seconds) {
      const holder = await world.direct.reserve();
      try {
        await holder`begin`;
        await holder`select id from jobs where state in ('queued', 'running') order by created_at limit 1 for update`;
        await sleep(seconds * 1000);
        await holder`rollback`;
      } finally {
        holder.release();
      }
    },
  },
  {
    name: "link-pause",
    what: "the database link paused (socat SIGSTOP), then resumed",
    async fault(world, seconds) {
      world.link.pause();
      await sleep(seconds * 1000);
      world.link.resume();
    },
  },
  {
    name: "link-reset",
    what: "every connection through the database link cut at once",
    async fault(world, seconds) {
      await world.link.reset();
      await sleep(seconds * 1000);
    },
  },
];

/** Submits test.record jobs at `rate` a second until stopped; what each submit was answered. */
class SteadySubmitter {
  readonly accepted: { id: string; at: number }[] = [];
  readonly statuses = new Map<string, number>();
  private running = true;
  private readonly done: Promise<void>;

  constructor(baseUrl: string, user: ApiUser) {
    this.done = this.loop(baseUrl, user);
  }

  private async loop(baseUrl: string, user: ApiUser) {
    const inFlight = new Set<Promise<void>>();
    while (this.running) {
      const due = performance.now() + 1000 / rate;
      const submit = this.submitOne(baseUrl, user).finally(() => inFlight.delete(submit));
      inFlight.add(submit);
      await sleep(Math.max(0, due - performance.now()));
    }
    await Promise.all(inFlight);
  }

  private async submitOne(baseUrl: string, user: ApiUser) {
    let outcome: string;
    try {
      const response = await fetch(`${baseUrl}/api/jobs`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...user.headers },
        body: JSON.stringify({ type: "test.record", input: {} }),
        signal: AbortSignal.timeout(30_000),
      });
      outcome = String(response.status);
      if (response.status === 202)
        this.accepted.push({ id: ((await response.json()) as { id: string }).id, at: Date.now() });
      else await response.arrayBuffer();
    } catch {
      outcome = "no answer";
    }
    this.statuses.set(outcome, (this.statuses.get(outcome) ?? 0) + 1);
  }

  async stop() {
    this.running = false;
    await this.done;
  }
}

/** Follows the user's jobs over SSE, reconnecting as a browser would; the times job events arrived. */
class PushWatcher {
  readonly arrivals: number[] = [];
  private readonly controller = new AbortController();
  private readonly done: Promise<void>;

  constructor(baseUrl: string, user: ApiUser) {
    this.done = this.loop(baseUrl, user);
  }

  private async loop(baseUrl: string, user: ApiUser) {
    while (!this.controller.signal.aborted) {
      try {
        const response = await fetch(`${baseUrl}/api/events`, {
          headers: { Accept: "text/event-stream", ...user.headers },
          signal: this.controller.signal,
        });
        const reader = response.body?.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const chunk = await reader?.read();
          if (!chunk || chunk.done) break;
          const events = decoder.decode(chunk.value, { stream: true }).split("event: job").length - 1;
          for (let i = 0; i < events; i++) this.arrivals.push(Date.now());
        }
      } catch {
        // the web process or the database is away: try again
      }
      await sleep(1_000).catch(() => {});
    }
  }

  async stop() {
    this.controller.abort();
    await this.done;
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.floor(sorted.length / 2)] ?? 0);
};

interface Outcome {
  scenario: string;
  what: string;
  baselineRate: number;
  recoveryRate: number;
  recoveryRatio: number;
  secondsTo90: number | null;
  accepted: number;
  lost: number;
  stuck: number;
  rerunAfterKill: number;
  duplicates: number;
  answers: Record<string, number>;
  pushesBackAfterSeconds: number | null;
  restarts: { web: number; worker: number };
}

async function runScenario(scenario: Scenario, port: number): Promise<Outcome> {
  const pg = await ChaosPostgres.create(`/tmp/accepted-chaos-${process.pid}/pg`, await freePort());
  const link = new ChaosLink(await freePort(), pg.port);
  await link.start();
  await migrateDatabase(pg.url());
  const direct = postgres(pg.url(), { max: 3, onnotice: () => {} });
  // Restarted as `npm start` restarts them (scripts/stack.ts), each restart said in a line counted here.
  const log = createWriteStream(`${RESULTS}/chaos-${scenario.name}.log`);
  const restarts = { web: 0, worker: 0 };
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const match of String(chunk).matchAll(/\[stack\] (web|worker) started again/g)) {
        restarts[match[1] as "web" | "worker"]++;
      }
      log.write(chunk, done);
    },
  });
  let stack: Stack | undefined;
  try {
    stack = await startStack({
      mode: "production",
      port,
      databaseUrl: link.url(),
      output,
      restart: true,
      env: {
        LOG_LEVEL: "warn",
        ACCEPTED_TEST_JOB_TYPES: "1",
        SIGN_IN_ATTEMPTS_PER_MINUTE: "1000",
        NEXT_TELEMETRY_DISABLED: "1",
      },
    });
    const running = stack;
    const world: World = { pg, link, direct, killWorker: () => kill(running.pids.worker) };
    const baseUrl = stack.baseUrl;
    const user = await createApiUser(baseUrl, "chaos");
    await direct`insert into job_owner_quotas (owner_id, max_unfinished) values (${user.id}, 1000000)
      on conflict (owner_id) do update set max_unfinished = excluded.max_unfinished`;

    const submitter = new SteadySubmitter(baseUrl, user);
    const pushes = new PushWatcher(baseUrl, user);
    await sleep(phases.warmup * 1000);
    const baselineStart = Date.now();
    await sleep(phases.baseline * 1000);
    const faultStart = Date.now();
    const faultSeconds = scenario.seconds ?? phases.fault;
    console.log(`  ${scenario.name}: fault for ${faultSeconds} s…`);
    await scenario.fault(world, faultSeconds);
    const faultEnd = Date.now();
    await sleep(phases.recovery * 1000);
    const recoveryEnd = Date.now();
    await submitter.stop();
    await pushes.stop();

    // Every accepted job should end; give the backlog time to drain.
    const ids = submitter.accepted.map((job) => job.id);
    const drainDeadline = Date.now() + 120_000;
    let unfinished = ids.length;
    while (Date.now() < drainDeadline) {
      const [row] = await direct<{ n: number }[]>`select count(*)::int as n from jobs
        where id = any(${ids}::uuid[]) and state in ('succeeded', 'failed', 'cancelled')`;
      unfinished = ids.length - (row?.n ?? 0);
      if (unfinished === 0) break;
      await sleep(1_000);
    }
    const [found] = await direct<{ n: number }[]>`select count(*)::int as n from jobs where id = any(${ids}::uuid[])`;
    const perSecond = await direct<{ second: number; n: number }[]>`
      select floor(extract(epoch from finished_at))::bigint as second, count(*)::int as n from jobs
      where id = any(${ids}::uuid[]) and finished_at is not null group by 1`;
    const completions = new Map(perSecond.map((row) => [Number(row.second), row.n]));
    const rateBetween = (from: number, to: number) => {
      const values: number[] = [];
      for (let second = Math.floor(from / 1000); second < Math.floor(to / 1000); second++) {
        values.push(completions.get(second) ?? 0);
      }
      return values;
    };
    const baselineRate = median(rateBetween(baselineStart, faultStart));
    const recovery = rateBetween(faultEnd, recoveryEnd);
    const recoveryRate = median(recovery);
    // Back to 90 %: the first second after the fault from which a 3-second average stays there.
    let secondsTo90: number | null = null;
    for (let i = 0; i + 2 < recovery.length; i++) {
      const average = ((recovery[i] ?? 0) + (recovery[i + 1] ?? 0) + (recovery[i + 2] ?? 0)) / 3;
      if (average >= 0.9 * baselineRate) {
        secondsTo90 = i;
        break;
      }
    }
    const [effects] = await direct<{ rerun: number; duplicated: number }[]>`
      with per_job as (
        select job_id, count(*) as runs, count(distinct attempt) as attempts from test_effects
        where job_id = any(${ids}::uuid[]) group by job_id)
      select count(*) filter (where runs > 1 and runs = attempts)::int as rerun,
             count(*) filter (where runs > attempts)::int as duplicated
      from per_job`.catch(() => [{ rerun: 0, duplicated: 0 }]);
    const firstPushAfter = pushes.arrivals.find((at) => at >= faultEnd);
    return {
      scenario: scenario.name,
      what: scenario.what,
      baselineRate,
      recoveryRate,
      recoveryRatio: baselineRate > 0 ? recoveryRate / baselineRate : 0,
      secondsTo90,
      accepted: ids.length,
      lost: ids.length - (found?.n ?? 0),
      stuck: unfinished,
      rerunAfterKill: effects?.rerun ?? 0,
      duplicates: effects?.duplicated ?? 0,
      answers: Object.fromEntries(submitter.statuses),
      pushesBackAfterSeconds: firstPushAfter === undefined ? null : (firstPushAfter - faultEnd) / 1000,
      restarts,
    };
  } finally {
    await stack?.stop();
    await direct.end({ timeout: 2 }).catch(() => {});
    link.stop();
    await pg.destroy();
  }
}

function table(outcomes: Outcome[]): string {
  const header = [
    "scenario",
    "baseline jobs/s",
    "recovery jobs/s",
    "ratio",
    "back to 90 %",
    "accepted",
    "lost",
    "stuck",
    "re-run after a kill",
    "duplicates",
    "HTTP answers",
    "pushes again after",
    "restarts (web, worker)",
    "",
  ];
  const rows = outcomes.map((o) => {
    const fivexx = Object.entries(o.answers).filter(([status]) => status === "500").length > 0;
    const met =
      o.recoveryRatio >= 0.9 &&
      o.secondsTo90 !== null &&
      o.secondsTo90 <= 60 &&
      o.lost === 0 &&
      o.stuck === 0 &&
      o.duplicates === 0 &&
      !fivexx &&
      o.pushesBackAfterSeconds !== null &&
      o.pushesBackAfterSeconds <= 60;
    return [
      `${o.scenario}: ${o.what}`,
      o.baselineRate.toFixed(0),
      o.recoveryRate.toFixed(0),
      `${o.recoveryRatio.toFixed(2)}×`,
      o.secondsTo90 === null ? "never" : `${o.secondsTo90} s`,
      String(o.accepted),
      String(o.lost),
      String(o.stuck),
      String(o.rerunAfterKill),
      String(o.duplicates),
      JSON.stringify(o.answers).replace(/"/g, ""),
      o.pushesBackAfterSeconds === null ? "never" : `${o.pushesBackAfterSeconds.toFixed(1)} s`,
      `${o.restarts.web}, ${o.restarts.worker}`,
      met ? "met" : "NOT met",
    ];
  });
  return [header, header.map(() => "---"), ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

async function main() {
  if (!(await buildIfStale({ NEXT_TELEMETRY_DISABLED: "1", ACCEPTED_TEST_JOB_TYPES: "1" }))) process.exit(1);
  await mkdir(RESULTS, { recursive: true });
  const started = Date.now();
  const outcomes: Outcome[] = [];
  for (const scenario of scenarios.filter((candidate) => !only || only.includes(candidate.name))) {
    console.log(`chaos: ${scenario.name} (${scenario.what})…`);
    outcomes.push(await runScenario(scenario, await freePort()));
  }
  const cpu = os.cpus();
  const report = [
    "# Chaos report",
    "",
    `${new Date().toISOString()}${quick ? " (--quick)" : ""}, ${((Date.now() - started) / 1000).toFixed(0)} s; ` +
      `${cpu.length} cores (${cpu[0]?.model ?? "?"}), Node ${process.version}; ${rate} jobs submitted a second; ` +
      `phases (s): ${JSON.stringify(phases)}`,
    "",
    "Goal for each: recovery ≥ 0.9× of baseline within 60 s of the fault's end, 0 lost, 0 stuck, 0 duplicates " +
      "(a job re-run after a kill interrupted it is counted apart), no 500, pushes again within 60 s.",
    "",
    table(outcomes),
    "",
  ].join("\n");
  console.log(`\n${report}`);
  await writeFile(`${RESULTS}/chaos-latest.json`, JSON.stringify({ quick, rate, phases, outcomes }, null, 2));
  await writeFile(`${RESULTS}/chaos-latest.md`, report);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
