import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import { freePort } from "@/scripts/stack";

const BINARY = "/usr/sbin/pgbouncer";

export interface PgBouncer {
  /** The same database as `target`, through PgBouncer in transaction mode. */
  url: string;
  stop(): Promise<void>;
}

/**
 * A throwaway PgBouncer (Debian's package) in transaction mode in front of
 * the PostgreSQL at `target`: each transaction may get another server
 * connection, as in production behind one. Its log is copied to `log` when
 * it stops.
 */
export async function startPgBouncer(target: string, log: string): Promise<PgBouncer> {
  if (!existsSync(BINARY)) {
    throw new Error(`PgBouncer is not installed (${BINARY}): apt-get install pgbouncer (.ci/run and npm test do).`);
  }
  const server = new URL(target);
  const dir = await mkdtemp(path.join(tmpdir(), "pgbouncer-"));
  // PgBouncer runs as the postgres user (see below) and writes its log and pid file here.
  await chmod(dir, 0o777);
  const port = await freePort();
  const user = decodeURIComponent(server.username);
  await writeFile(path.join(dir, "users.txt"), `"${user}" "${decodeURIComponent(server.password)}"\n`, { mode: 0o644 });
  await writeFile(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${server.hostname} port=${server.port}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "auth_type = plain",
      `auth_file = ${path.join(dir, "users.txt")}`,
      "pool_mode = transaction",
      "max_client_conn = 500",
      "default_pool_size = 20",
      // postgres.js and graphile-worker send these at connect; PgBouncer passes on few.
      "ignore_startup_parameters = extra_float_digits,options",
      `logfile = ${path.join(dir, "pgbouncer.log")}`,
      "unix_socket_dir =",
      `pidfile = ${path.join(dir, "pgbouncer.pid")}`,
    ].join("\n"),
    { mode: 0o644 },
  );
  // PgBouncer will not run as root; it can switch to the postgres user.
  const asUser = process.getuid?.() === 0 ? ["-u", "postgres"] : [];
  const child: ChildProcess = spawn(BINARY, [...asUser, path.join(dir, "pgbouncer.ini")], { stdio: "ignore" });
  const url = new URL(target);
  url.port = String(port);
  const probe = postgres(url.toString(), { max: 1, prepare: false, onnotice: () => {} });
  try {
    for (let tries = 0; ; tries++) {
      try {
        await probe`select 1`;
        break;
      } catch (error) {
        if (tries > 50 || child.exitCode !== null) throw new Error(`PgBouncer did not start: ${String(error)}`);
        await sleep(100);
      }
    }
  } finally {
    await probe.end({ timeout: 1 });
  }
  return {
    url: url.toString(),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      await copyFile(path.join(dir, "pgbouncer.log"), log).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
