import { createWriteStream } from "node:fs";
import { type LaunchedDatabase, launchDatabase } from "./database";
import { freePort, type Stack, startStack } from "./stack";

export interface ThrowawayApp {
  database: LaunchedDatabase;
  stack: Stack;
  stop(): Promise<void>;
}

/**
 * The built app in production mode, web and worker, on a PostgreSQL that is
 * deleted when it stops (or on DATABASE_URL when set), on free ports: what
 * tests, benchmarks and load runs measure. Logs go to `logFile`.
 */
export async function startThrowawayApp(
  label: string,
  logFile: string,
  env: Record<string, string> = {},
  { worker = true }: { worker?: boolean } = {},
): Promise<ThrowawayApp> {
  const database = await launchDatabase({
    dataSubdir: `${label}-postgres-${process.pid}`,
    port: await freePort(),
    persistent: false,
  });
  try {
    const stack = await startStack({
      mode: "production",
      port: await freePort(),
      databaseUrl: database.url,
      output: createWriteStream(logFile),
      env: { NEXT_TELEMETRY_DISABLED: "1", ...env },
      worker,
    });
    return {
      database,
      stack,
      async stop() {
        await stack.stop();
        await database.stop();
      },
    };
  } catch (error) {
    await database.stop();
    throw error;
  }
}
