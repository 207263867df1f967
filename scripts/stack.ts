import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import type { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Runs the web server and the worker as two child processes against one
 * database: what `npm start`, `npm run dev` and `npm test` all use.
 */
export interface StackOptions {
  mode: "dev" | "production";
  port: number;
  databaseUrl: string;
  /** Where both processes' output goes, each line prefixed with its name. */
  output: Writable;
  env?: Record<string, string>;
  /** false: the web server alone (benchmarks that must not share the CPU with a worker). */
  worker?: boolean;
  /** Extra node flags for the web server, e.g. --cpu-prof (NODE_OPTIONS refuses it). */
  webNodeArgs?: string[];
  /**
   * true (`npm start`, `npm run dev`): once the app is up, a web server or worker that exits without being asked
   * is started again, after a pause that doubles from 1 s to 30 s while it keeps failing. false (tests,
   * benchmarks): `exited` settles instead, so a crash is seen, not papered over.
   */
  restart?: boolean;
}

export interface Stack {
  baseUrl: string;
  /** Process ids of the web server and the worker now (a restart changes them), for measurements. */
  readonly pids: { web?: number; worker?: number };
  /** Settles when a process exits on its own and is not started again (which means trouble). */
  exited: Promise<string>;
  stop(): Promise<void>;
}

// A process that keeps failing is started again after 1 s, 2 s, 4 s… at most 30 s apart; once it has stayed up
// for a minute, it is taken to be well again and its next failure waits 1 s.
const RESTART_FIRST_DELAY_MS = 1_000;
const RESTART_MAX_DELAY_MS = 30_000;
const RESTART_RESET_AFTER_MS = 60_000;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function startProcess(name: string, command: string, args: string[], options: StackOptions): ChildProcess {
  // BASE_URL is the test runner's address of the app it started; better-auth
  // would take it for this server's own URL and refuse its requests' origin.
  const { BASE_URL: _testTarget, ...inherited } = process.env;
  const child = spawn(command, args, {
    env: {
      // Development sends webhooks to receivers on this machine; production never, unless told.
      ...(options.mode === "dev" ? { WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" } : {}),
      ...inherited,
      ...options.env,
      DATABASE_URL: options.databaseUrl,
      PORT: String(options.port),
      ACCEPTED_PROCESS: name,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = "";
    stream?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) options.output.write(`[${name}] ${line}\n`);
    });
  }
  return child;
}

/** One of the stack's processes: started again when it exits on its own, while restarts are on. */
interface Supervised {
  readonly pid: number | undefined;
  /** Settles when the process exits on its own and is not started again. */
  exited: Promise<string>;
  /** From now on (the app is up), an exit on its own starts the process again. */
  superviseFromNowOn(): void;
  /** Stops the process (SIGTERM, then SIGKILL after 10 s) and starts it no more. */
  stop(): Promise<void>;
}

function supervise(name: string, launch: () => ChildProcess, options: StackOptions): Supervised {
  const say = (line: string) => options.output.write(`[stack] ${line}\n`);
  let child = launch();
  say(`${name} started (pid ${child.pid})`);
  let startedAt = Date.now();
  let delayMs = RESTART_FIRST_DELAY_MS;
  let restarting = false;
  let stopping = false;
  let pending: NodeJS.Timeout | undefined;
  let settle: (reason: string) => void = () => {};
  const exited = new Promise<string>((resolve) => {
    settle = resolve;
  });

  const watch = (current: ChildProcess) =>
    current.once("exit", (code, signal) => {
      const reason = `${name} exited (${signal ?? code})`;
      if (stopping) return; // asked to
      if (!restarting) {
        settle(reason);
        return;
      }
      if (Date.now() - startedAt >= RESTART_RESET_AFTER_MS) delayMs = RESTART_FIRST_DELAY_MS;
      say(`${reason}; starting it again in ${delayMs / 1000} s`);
      pending = setTimeout(() => {
        pending = undefined;
        if (stopping) return;
        child = launch();
        startedAt = Date.now();
        watch(child);
        say(`${name} started again (pid ${child.pid})`);
      }, delayMs);
      delayMs = Math.min(delayMs * 2, RESTART_MAX_DELAY_MS);
    });
  watch(child);

  return {
    get pid() {
      return child.pid;
    },
    exited,
    superviseFromNowOn() {
      restarting = options.restart === true;
    },
    async stop() {
      stopping = true;
      clearTimeout(pending);
      await stopProcess(child);
    },
  };
}

async function waitForHealth(baseUrl: string, exited: Promise<string>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let failure: string | undefined;
  void exited.then((reason) => {
    failure = reason;
  });
  while (Date.now() < deadline) {
    if (failure) throw new Error(`${failure} before the app was ready`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`the app did not become healthy at ${baseUrl} within ${timeoutMs / 1000} s`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timeout = sleep(10_000).then(() => child.kill("SIGKILL"));
  await Promise.race([exited, timeout]);
  await exited;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const bin = (name: string) => `node_modules/.bin/${name}`;
  // Production runs the worker in plain node with tsx as a loader: the tsx
  // CLI is a second process that relays signals and SIGKILLs a child that is
  // slow to acknowledge one, which would cut graceful shutdown short.
  // One server for both modes (server.ts): Next.js behind it, the realtime paths its own.
  const web = supervise(
    "web",
    () =>
      options.mode === "dev"
        ? startProcess("web", process.execPath, ["--import", "tsx", "server.ts", "--dev"], options)
        : startProcess(
            "web",
            process.execPath,
            [...(options.webNodeArgs ?? []), "--import", "tsx", "server.ts"],
            // React and Next run their production builds only when told.
            { ...options, env: { NODE_ENV: "production", ...options.env } },
          ),
    options,
  );
  const worker =
    options.worker === false
      ? null
      : supervise(
          "worker",
          () =>
            options.mode === "dev"
              ? startProcess("worker", bin("tsx"), ["watch", "worker/index.ts"], options)
              : startProcess("worker", process.execPath, ["--import", "tsx", "worker/index.ts"], options),
          options,
        );

  const baseUrl = `http://localhost:${options.port}`;
  const processes = worker ? [web, worker] : [web];
  const exited = Promise.race(processes.map((supervised) => supervised.exited));
  const stop = async () => {
    await Promise.all(processes.map((supervised) => supervised.stop()));
  };
  try {
    // A process that fails before the app is up fails the start: restarting it would only hide why.
    await waitForHealth(baseUrl, exited, options.mode === "dev" ? 120_000 : 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  for (const supervised of processes) supervised.superviseFromNowOn();
  return {
    baseUrl,
    get pids() {
      return { web: web.pid, worker: worker?.pid };
    },
    exited,
    stop,
  };
}
