import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { migrateDatabase } from "@/db/migrate";
import { config, dataDir } from "@/lib/config";

export interface LaunchedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** Starts scripts/postgres-server.ts detached and waits for the URL it prints. */
export async function startPostgresProcess(dir: string, port: number, persistent: boolean): Promise<LaunchedDatabase> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/postgres-server.ts", dir, String(port), persistent ? "persistent" : "ephemeral"],
    // Its own process group, so a Ctrl-C in the terminal does not reach it.
    { detached: true, stdio: ["pipe", "pipe", "ignore"] },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      lines.close();
      resolve(line);
    });
    // "close", not "exit": a line it printed before exiting is read first.
    child.once("close", (code) => reject(new Error(`embedded PostgreSQL failed to start (exit ${code})`)));
  });
  const started = JSON.parse(firstLine) as { url: string } | { error: string };
  if ("error" in started) {
    await exited;
    throw new Error(started.error);
  }
  const { url } = started;
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * The database for a launcher: DATABASE_URL when set, else embedded
 * PostgreSQL; migrated before web and worker start, so they find it ready.
 */
export async function launchDatabase(options: {
  dataSubdir: string;
  port?: number;
  persistent: boolean;
}): Promise<LaunchedDatabase> {
  const settings = config();
  const database = settings.DATABASE_URL
    ? { url: settings.DATABASE_URL, stop: async () => {} }
    : await startPostgresProcess(
        path.join(dataDir(settings), options.dataSubdir),
        options.port ?? settings.EMBEDDED_PG_PORT,
        options.persistent,
      );
  try {
    // Migrations hold a session-level lock: straight to PostgreSQL when a pooler is in front.
    await migrateDatabase(settings.DATABASE_DIRECT_URL ?? database.url);
  } catch (error) {
    await database.stop();
    throw error;
  }
  return database;
}
