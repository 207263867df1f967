import { setTimeout as sleep } from "node:timers/promises";
import type postgres from "postgres";
import type { Row } from "./measure";

/**
 * The database's work over a stretch of a benchmark, read from PostgreSQL's
 * own counters: commits (pg_stat_database), rows written in every schema
 * (pg_stat_all_tables: inserted + updated + deleted), WAL bytes
 * (pg_current_wal_lsn) and the NOTIFYs sent on the channels the app and
 * graphile-worker use. Web and worker processes scale out; the one
 * PostgreSQL does not, so this, per job, is the ceiling of the service.
 */
export interface DatabaseWork {
  commits: number;
  rowsWritten: number;
  walBytes: number;
  notifies: number;
  /** Rows written per table (schema.table), the tables that were written only. */
  byTable: Record<string, number>;
}

interface Counters {
  commits: number;
  tables: Map<string, number>;
  lsn: string;
}

// Our change feed and auth feed, and graphile-worker's new-job wake-up.
const CHANNELS = ["job_changes", "auth_changes", "jobs:insert"];

// A backend reports its statistics when idle at most this often (PGSTAT_IDLE_INTERVAL), and at exit.
const STATS_SETTLE_MS = 11_000;

async function readCounters(sql: postgres.Sql): Promise<Counters> {
  const reserved = await sql.reserve();
  try {
    await reserved`select pg_stat_force_next_flush()`;
    const [database] = await reserved<{ commits: string }[]>`
      select xact_commit as commits from pg_stat_database where datname = current_database()`;
    const tables = await reserved<{ name: string; written: string }[]>`
      select schemaname || '.' || relname as name, n_tup_ins + n_tup_upd + n_tup_del as written
      from pg_stat_all_tables where schemaname not in ('pg_catalog', 'information_schema', 'pg_toast')`;
    const [wal] = await reserved<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`;
    return {
      commits: Number(database?.commits ?? 0),
      tables: new Map(tables.map((table) => [table.name, Number(table.written)])),
      lsn: wal?.lsn ?? "0/0",
    };
  } finally {
    reserved.release();
  }
}

/**
 * Runs `work` and returns what it cost the database. `settle`: wait out the
 * statistics' reporting interval first, when processes that took part are
 * still running (their counts arrive only when they are idle for a while).
 */
export async function measureDatabaseWork(
  sql: postgres.Sql,
  work: () => Promise<void>,
  { settle = false } = {},
): Promise<DatabaseWork> {
  let notifies = 0;
  const listeners = await Promise.all(
    CHANNELS.map((channel) =>
      sql.listen(channel, () => {
        notifies++;
      }),
    ),
  );
  try {
    if (settle) await sleep(STATS_SETTLE_MS);
    const before = await readCounters(sql);
    await work();
    if (settle) await sleep(STATS_SETTLE_MS);
    else await sleep(1_100);
    const after = await readCounters(sql);
    const [wal] = await sql<{ bytes: string }[]>`select pg_wal_lsn_diff(${after.lsn}, ${before.lsn}) as bytes`;
    const byTable: Record<string, number> = {};
    for (const [name, written] of after.tables) {
      const delta = written - (before.tables.get(name) ?? 0);
      if (delta > 0) byTable[name] = delta;
    }
    return {
      commits: after.commits - before.commits,
      rowsWritten: Object.values(byTable).reduce((sum, rows) => sum + rows, 0),
      walBytes: Number(wal?.bytes ?? 0),
      notifies,
      byTable,
    };
  } finally {
    await Promise.all(listeners.map((listener) => listener.unlisten()));
  }
}

// The goals for a job's cost against raw graphile-worker's.
const GOALS = { commits: 1.5, rowsWritten: 2, walBytes: 2.5 } as const;

/** One row per measure, per job, ours against raw graphile-worker's for the same work; the tables ours wrote. */
export function databaseWorkRows(
  scenario: string,
  ours: DatabaseWork,
  oursJobs: number,
  raw: DatabaseWork,
  rawJobs: number,
  rows: Row[],
) {
  const measures = [
    ["commits", "commits"],
    ["rowsWritten", "rows written (every schema)"],
    ["walBytes", "WAL bytes"],
    ["notifies", "NOTIFYs"],
  ] as const;
  for (const [key, label] of measures) {
    const perJob = ours[key] / oursJobs;
    const rawPerJob = raw[key] / rawJobs;
    const goal = key === "notifies" ? undefined : GOALS[key];
    const ratio = rawPerJob > 0 ? perJob / rawPerJob : undefined;
    rows.push({
      scenario: `database work: ${scenario}`,
      measure: `${label} per job`,
      ours: perJob.toPrecision(3),
      baseline: `${rawPerJob.toPrecision(3)} raw graphile-worker`,
      ratio,
      goal: goal === undefined ? undefined : `≤ ${goal}×`,
      met: goal === undefined || ratio === undefined ? undefined : ratio <= goal,
    });
  }
  const tables = Object.entries(ours.byTable)
    .sort(([, a], [, b]) => b - a)
    .map(([name, written]) => `${name} ${(written / oursJobs).toFixed(2)}`)
    .join(", ");
  rows.push({ scenario: `database work: ${scenario}`, measure: "ours' rows written per job, by table", ours: tables });
}
