import { sql } from "drizzle-orm";
import { Gauge } from "prom-client";
import { jobs } from "@/db/schema";
import { config } from "@/lib/config";
import { connectionCounts } from "@/lib/connection-caps";
import { getDb } from "@/lib/db";
import { queueDepth } from "@/lib/queue/graphile-worker";
import { metricsRegistry } from "./registry";

/*
 * Job metrics are read from Postgres at scrape time, so every web instance
 * reports the same cluster-wide figures, whichever worker ran the jobs.
 * Durations are quantiles over the last hour, not a histogram: no process
 * sees every job finish, so none could keep cumulative buckets.
 */

const holder = globalThis as typeof globalThis & { __acceptedJobGauges?: true };

export function registerJobMetrics(): void {
  if (holder.__acceptedJobGauges) return;
  holder.__acceptedJobGauges = true;
  const registers = [metricsRegistry()];

  new Gauge({
    name: "accepted_jobs",
    help: "Jobs in the jobs table, by state and type.",
    labelNames: ["state", "type"],
    registers,
    async collect() {
      const rows = await getDb()
        .select({ state: jobs.state, type: jobs.type, count: sql<number>`count(*)::int` })
        .from(jobs)
        .groupBy(jobs.state, jobs.type);
      this.reset();
      for (const row of rows) this.set({ state: row.state, type: row.type }, row.count);
    },
  });

  new Gauge({
    name: "accepted_queue_depth",
    help: "Jobs waiting for a worker whose run time has come (graphile-worker's queue).",
    registers,
    async collect() {
      this.set(await queueDepth(getDb()));
    },
  });

  new Gauge({
    name: "accepted_oldest_queued_job_age_seconds",
    help: "How long the oldest queued job has waited; 0 when none waits.",
    registers,
    async collect() {
      const [row] = await getDb().execute<{ age: number | null }>(
        sql`select extract(epoch from now() - min(created_at))::float8 as age from ${jobs} where state = 'queued'`,
      );
      this.set(row?.age ?? 0);
    },
  });

  new Gauge({
    name: "accepted_job_duration_seconds",
    help: "Run time (start to finish) of jobs finished in the last hour, by type and quantile.",
    labelNames: ["type", "quantile"],
    registers,
    async collect() {
      const rows = await getDb().execute<{ type: string; p50: number; p90: number; p99: number }>(sql`
        select type,
               percentile_cont(0.5) within group (order by d) as p50,
               percentile_cont(0.9) within group (order by d) as p90,
               percentile_cont(0.99) within group (order by d) as p99
        from (select type, extract(epoch from finished_at - started_at)::float8 as d from ${jobs}
              where finished_at > now() - interval '1 hour' and started_at is not null) finished
        group by type`);
      this.reset();
      for (const row of rows) {
        this.set({ type: row.type, quantile: "0.5" }, row.p50);
        this.set({ type: row.type, quantile: "0.9" }, row.p90);
        this.set({ type: row.type, quantile: "0.99" }, row.p99);
      }
    },
  });

  new Gauge({
    name: "accepted_realtime_connections",
    help: "Event streams, WebSockets and long polls open on this web process (each counts against its user's cap).",
    registers,
    collect() {
      this.set(connectionCounts().total);
    },
  });

  new Gauge({
    name: "accepted_stuck_attempts",
    help: "Attempts failed at their time limit whose handlers ignored their signal and still run, in live workers (each holds a slot of its worker's).",
    registers,
    async collect() {
      const deadAfterSeconds = config().WORKER_DEAD_AFTER_MS / 1000;
      const [row] = await getDb().execute<{ stuck: number }>(
        sql`select coalesce(sum(stuck), 0)::int as stuck from (
          select max(stuck_attempts) as stuck from worker_heartbeats
          where last_seen_at > now() - make_interval(secs => ${deadAfterSeconds}) group by hostname, pid) as per_process`,
      );
      this.set(row?.stuck ?? 0);
    },
  });

  new Gauge({
    name: "accepted_live_workers",
    help: "Worker processes with a recent heartbeat (within WORKER_DEAD_AFTER_MS).",
    registers,
    async collect() {
      const deadAfterSeconds = config().WORKER_DEAD_AFTER_MS / 1000;
      const [row] = await getDb().execute<{ live: number }>(
        sql`select count(distinct (hostname, pid))::int as live from worker_heartbeats where last_seen_at > now() - make_interval(secs => ${deadAfterSeconds})`,
      );
      this.set(row?.live ?? 0);
    },
  });
}
