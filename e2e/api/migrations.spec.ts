import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import postgres from "postgres";
import { expect, test } from "../support/fixtures";

const run = promisify(execFile);
const journal = JSON.parse(readFileSync("db/migrations/meta/_journal.json", "utf8")) as { entries: unknown[] };

test("web and worker migrating an empty database at the same moment both succeed", async ({ sql }) => {
  const database = `accepted_migrate_${Date.now()}`;
  await sql.unsafe(`create database ${database}`);
  const url = new URL(process.env.DATABASE_URL as string);
  url.pathname = `/${database}`;
  try {
    const migrate = () =>
      run(process.execPath, ["--import", "tsx", "scripts/migrate.ts"], {
        env: { ...process.env, DATABASE_URL: url.toString() },
      });
    const results = await Promise.allSettled([migrate(), migrate(), migrate()]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);

    const fresh = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      const applied = await fresh`select count(*)::int as count from drizzle.__drizzle_migrations`;
      expect(applied[0]?.count).toBe(journal.entries.length);
      const tables = await fresh`
        select table_schema || '.' || table_name as name from information_schema.tables
        where table_type = 'BASE TABLE' and table_schema in ('public', 'graphile_worker') and table_name in ('jobs', 'job_files', '_private_jobs')
        order by 1`;
      expect(tables.map((table) => table.name)).toEqual([
        "graphile_worker._private_jobs",
        "public.job_files",
        "public.jobs",
      ]);
    } finally {
      await fresh.end();
    }
  } finally {
    await sql.unsafe(`drop database if exists ${database} with (force)`);
  }
});
