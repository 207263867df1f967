/**
 * Where a job's database work goes: drains no-op jobs (ten owners' fair
 * batches, as the submit lays them out) through our worker on a fresh
 * embedded PostgreSQL and reports, per job, the WAL each relation took
 * (pg_walinspect), the rows written per table and the transactions, after
 * a CHECKPOINT so every run starts alike. For bench/README.md.
 * `node --import tsx bench/profile-database.ts [jobs]`.
 */
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import { launchDatabase } from "@/scripts/database";
import { freePort } from "@/scripts/stack";

const jobs = Number(process.argv[2] ?? 2_000);
const database = await launchDatabase({
  dataSubdir: `profile-database-${process.pid}`,
  port: await freePort(),
  persistent: false,
});
const sql = postgres(database.url, { max: 2, onnotice: () => {} });
try {
  await sql`create extension if not exists pg_walinspect`;
  const worker = spawn(process.execPath, ["--import", "tsx", "worker/index.ts"], {
    env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: "warn", ACCEPTED_PROCESS: "worker" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = createWriteStream("bench/results/profile-database-worker.log");
  worker.stdout?.pipe(log);
  worker.stderr?.pipe(log);
  await sleep(4_000);
  await sql`checkpoint`;
  const readCounts = async () => {
    await sql`select pg_stat_force_next_flush()`;
    const [commits] = await sql<{ n: string }[]>`
      select xact_commit as n from pg_stat_database where datname = current_database()`;
    const tables = await sql<{ name: string; n: string }[]>`
      select schemaname || '.' || relname as name, n_tup_ins + n_tup_upd + n_tup_del as n from pg_stat_all_tables
      where schemaname in ('public', 'graphile_worker')`;
    return { commits: Number(commits?.n), tables: new Map(tables.map((table) => [table.name, Number(table.n)])) };
  };
  const before = await readCounts();
  const [start] = await sql<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`;
  const began = performance.now();
  await sql`
    with rows as (
      insert into jobs (type, input, max_attempts, owner_id, priority)
      select 'demo.steps', '{"steps": 1, "stepMs": 0}', 1, 'profile-owner-' || (i % 10), (i / 10)::int
      from generate_series(0, ${jobs} - 1) as i
      returning id, priority)
    select count(*) from graphile_worker.add_jobs(array(
      select row('demo.steps', json_build_object('jobId', id::text), null, null, 1, id::text, priority,
                 array['demo.steps'])::graphile_worker.job_spec
      from rows))`;
  while ((await sql`select 1 from jobs where state <> 'succeeded' limit 1`).length > 0) await sleep(50);
  const seconds = (performance.now() - began) / 1000;
  const [end] = await sql<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`;
  const exited = new Promise((resolve) => worker.once("exit", resolve));
  worker.kill("SIGTERM");
  await exited;
  // Backends report their statistics when idle, at the latest after 10 s.
  await sleep(11_000);
  const after = await readCounts();

  const relations = await sql<{ relation: string; bytes: string }[]>`
    select coalesce(c.relname, '(' || r.kind || ')') as relation, sum(r.record_length) as bytes
    from (select (regexp_match(block_ref, 'rel \\d+/\\d+/(\\d+)'))[1]::oid as relfilenode, resource_manager as kind,
                 record_length
          from pg_get_wal_records_info(${start?.lsn ?? "0/0"}::pg_lsn, ${end?.lsn ?? "0/0"}::pg_lsn)) r
    left join pg_class c on c.relfilenode = r.relfilenode
    group by 1 order by 2 desc`;
  const perJob = (n: number) => (n / jobs).toFixed(n / jobs >= 10 ? 0 : 2);
  const total = relations.reduce((sum, row) => sum + Number(row.bytes), 0);
  console.log(`${jobs} jobs drained in ${seconds.toFixed(1)} s (${(jobs / seconds).toFixed(0)} jobs/s)`);
  console.log(`WAL per job: ${perJob(total)} bytes, by relation:`);
  for (const row of relations.filter((relation) => Number(relation.bytes) / jobs >= 5)) {
    console.log(`  ${perJob(Number(row.bytes)).padStart(6)}  ${row.relation}`);
  }
  console.log(`transactions per job (the drain and the worker's exit): ${perJob(after.commits - before.commits)}`);
  console.log("rows written per job:");
  for (const [name, n] of after.tables) {
    const written = n - (before.tables.get(name) ?? 0);
    if (written / jobs >= 0.01) console.log(`  ${perJob(written).padStart(6)}  ${name}`);
  }
} finally {
  await sql.end({ timeout: 5 });
  await database.stop();
}
