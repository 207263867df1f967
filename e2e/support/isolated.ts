import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { promisify } from "node:util";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "@/db/schema";

const run = promisify(execFile);

/**
 * A fresh, migrated database on the test server, for tests that must own
 * their workers (killing one, say) without disturbing the shared stack.
 */
export async function isolatedDatabase(admin: postgres.Sql, label: string) {
  const name = `accepted_${label}_${Date.now()}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(process.env.DATABASE_URL as string);
  url.pathname = `/${name}`;
  const env = { ...process.env, DATABASE_URL: url.toString() };
  await run(process.execPath, ["--import", "tsx", "scripts/migrate.ts"], { env });
  const sql = postgres(url.toString(), { max: 4, onnotice: () => {} });
  const workers: ChildProcess[] = [];
  return {
    url: url.toString(),
    sql,
    db: drizzle(sql, { schema }),
    /** Starts a real worker process on this database. */
    startWorker(extraEnv: Record<string, string> = {}): ChildProcess {
      const worker = spawn(process.execPath, ["--import", "tsx", "worker/index.ts"], {
        env: { ...env, ACCEPTED_PROCESS: "worker", ...extraEnv },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const log = createWriteStream(`test-results/${name}-worker-${workers.length + 1}.log`);
      worker.stdout?.pipe(log);
      worker.stderr?.pipe(log);
      workers.push(worker);
      return worker;
    },
    async drop() {
      for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill("SIGKILL");
      await sql.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
    },
  };
}
