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
}

export interface Stack {
  baseUrl: string;
  /** Process ids of the web server and the worker, for measurements. */
  pids: { web?: number; worker?: number };
  /** Settles when either process exits on its own (which means trouble). */
  exited: Promise<string>;
  stop(): Promise<void>;
}

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

function exitOf(name: string, child: ChildProcess): Promise<string> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(`${name} exited (${signal ?? code})`)));
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
  const web =
    options.mode === "dev"
      ? startProcess("web", process.execPath, ["--import", "tsx", "server.ts", "--dev"], options)
      : startProcess(
          "web",
          process.execPath,
          [...(options.webNodeArgs ?? []), "--import", "tsx", "server.ts"],
          // React and Next run their production builds only when told.
          { ...options, env: { NODE_ENV: "production", ...options.env } },
        );
  const worker =
    options.worker === false
      ? null
      : options.mode === "dev"
        ? startProcess("worker", bin("tsx"), ["watch", "worker/index.ts"], options)
        : startProcess("worker", process.execPath, ["--import", "tsx", "worker/index.ts"], options);

  const baseUrl = `http://localhost:${options.port}`;
  const children = worker ? [web, worker] : [web];
  const exited = Promise.race(children.map((child) => exitOf(child === web ? "web" : "worker", child)));
  const stop = async () => {
    await Promise.all(children.map(stopProcess));
  };
  try {
    await waitForHealth(baseUrl, exited, options.mode === "dev" ? 120_000 : 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, pids: { web: web.pid, worker: worker?.pid }, exited, stop };
}
