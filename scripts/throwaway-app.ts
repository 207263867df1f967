import { createWriteStream } from "node:fs";
import { type LaunchedDatabase, launchDatabase } from "./database";
import { freePort, type Stack, startStack } from "./stack";

/** A PostgreSQL deleted when it stops (or DATABASE_URL when set), on a free port. */
export async function launchThrowawayDatabase(label: string): Promise<LaunchedDatabase> {
  return launchDatabase({ dataSubdir: `${label}-postgres-${process.pid}`, port: await freePort(), persistent: false });
}

export interface ThrowawayApp {
  database: LaunchedDatabase;
  stack: Stack;
  stop(): Promise<void>;
}

/**
 * The built app in production mode, web and worker, on a PostgreSQL that is
 * deleted when it stops (or on DATABASE_URL when set), on free ports: what
 * tests, benchmarks and load runs measure. Logs go to `logFile`. Given a
 * `database`, it runs on that one and leaves stopping it to the caller.
 */
export async function startThrowawayApp(
  label: string,
  logFile: string,
  env: Record<string, string> = {},
  options: { worker?: boolean; database?: LaunchedDatabase } = {},
): Promise<ThrowawayApp> {
  const { worker = true } = options;
  const database = options.database ?? (await launchThrowawayDatabase(label));
  const stopDatabase = options.database ? async () => {} : () => database.stop();
  try {
    const stack = await startStack({
      mode: "production",
      port: await freePort(),
      databaseUrl: database.url,
      output: createWriteStream(logFile),
      // Tests, benchmarks and load runs use the job types that exist for them,
      // and webhook receivers on this machine. They sign up and sign in
      // hundreds of users from one address, 127.0.0.1: the limits on that are
      // lifted here, and tested at their defaults on servers of their own
      // (e2e/api/proxy.spec.ts), from addresses of their own.
      env: {
        NEXT_TELEMETRY_DISABLED: "1",
        ACCEPTED_TEST_JOB_TYPES: "1",
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
        SIGN_IN_ATTEMPTS_PER_MINUTE: "100000",
        AUTH_REQUESTS_PER_MINUTE: "1000000",
        ...env,
      },
      worker,
    });
    return {
      database,
      stack,
      async stop() {
        await stack.stop();
        await stopDatabase();
      },
    };
  } catch (error) {
    await stopDatabase();
    throw error;
  }
}
