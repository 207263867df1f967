import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createApiUser } from "@/e2e/support/api-user";
import { freePort } from "@/scripts/stack";
import { expect, type JobStatus, submitDemoVia, test } from "../support/fixtures";
import { isolatedDatabase } from "../support/isolated";

/** `npm start`'s launcher (scripts/start.ts) as a process, and what it has printed so far. */
class Launcher {
  output = "";
  readonly exit: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    const log = createWriteStream("test-results/supervision-launcher.log");
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on("data", (chunk: Buffer) => {
        this.output += chunk.toString("utf8");
        log.write(chunk);
      });
    }
    this.exit = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }

  /** The pid the launcher last said `name` was started with. */
  pidOf(name: "web" | "worker"): number {
    const started = [
      ...this.output.matchAll(new RegExp(`\\[stack\\] ${name} started(?: again)? \\(pid (\\d+)\\)`, "g")),
    ];
    return Number(started.at(-1)?.[1]);
  }

  async waitFor(pattern: RegExp, timeout = 60_000): Promise<void> {
    await expect.poll(() => pattern.test(this.output), { timeout }).toBe(true);
  }
}

// `npm start` keeps the service up: a web server or worker that dies is started again; only a signal stops it.
// On a database of its own, so the shared stack's worker cannot run this test's jobs for a dead one.
test("npm start: a web server or worker killed with SIGKILL is started again and the service answers; SIGTERM stops it all, exit 0", async ({
  sql,
}) => {
  test.setTimeout(240_000);
  const isolated = await isolatedDatabase(sql, "supervision");
  const port = await freePort();
  const { BASE_URL: _sharedApp, ...env } = process.env;
  const launcher = new Launcher(
    spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      env: { ...env, DATABASE_URL: isolated.url, PORT: String(port), WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  const baseUrl = `http://localhost:${port}`;
  try {
    await launcher.waitFor(/Accepted is running at/, 120_000);
    const user = await createApiUser(baseUrl, "supervision");
    const finished = async (job: JobStatus) =>
      expect
        .poll(
          async () =>
            (
              (await (
                await fetch(`${baseUrl}/api/jobs/${job.id}?redirect=false`, { headers: user.headers })
              ).json()) as JobStatus
            ).state,
          { timeout: 60_000 },
        )
        .toBe("succeeded");

    // The worker, killed: started again, and a job submitted afterwards is run.
    const worker = launcher.pidOf("worker");
    expect(worker).toBeGreaterThan(0);
    process.kill(worker, "SIGKILL");
    await launcher.waitFor(/\[stack\] worker exited \(SIGKILL\); starting it again in 1 s/);
    await launcher.waitFor(/\[stack\] worker started again \(pid \d+\)/);
    expect(launcher.pidOf("worker")).not.toBe(worker);
    await finished(await submitDemoVia(baseUrl, user, { steps: 2, stepMs: 100 }));

    // The web server, killed: started again, and it answers.
    const web = launcher.pidOf("web");
    process.kill(web, "SIGKILL");
    await launcher.waitFor(/\[stack\] web exited \(SIGKILL\); starting it again in 1 s/);
    await expect
      .poll(async () => (await fetch(`${baseUrl}/api/health`).catch(() => null))?.status, { timeout: 60_000 })
      .toBe(200);
    expect(launcher.pidOf("web")).not.toBe(web);
    await finished(await submitDemoVia(baseUrl, user, { steps: 1, stepMs: 0 }));

    // Asked to stop, it stops: nothing started again, exit 0.
    launcher.child.kill("SIGTERM");
    expect(await launcher.exit).toBe(0);
    expect(launcher.output.match(/started again/g)).toHaveLength(2);
    for (const pid of [launcher.pidOf("web"), launcher.pidOf("worker")]) {
      expect(() => process.kill(pid, 0)).toThrow(); // gone
    }
  } finally {
    if (launcher.child.exitCode === null) launcher.child.kill("SIGKILL");
    for (const name of ["web", "worker"] as const) {
      const pid = launcher.pidOf(name);
      if (pid > 0) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    await isolated.drop();
  }
});

test("a web server that cannot reach its database at start exits 1 (a supervisor's cue), not serving 500s for ever", async () => {
  test.setTimeout(90_000);
  const { BASE_URL: _sharedApp, ...env } = process.env;
  const web = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    env: {
      ...env,
      NODE_ENV: "production",
      PORT: String(await freePort()),
      // Nothing listens there.
      DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${await freePort()}/accepted`,
    },
    stdio: "ignore",
  });
  const exit = new Promise<number | null>((resolve) => web.once("exit", (code) => resolve(code)));
  try {
    expect(
      await Promise.race([exit, new Promise((resolve) => setTimeout(() => resolve("still running"), 60_000))]),
    ).toBe(1);
  } finally {
    if (web.exitCode === null) web.kill("SIGKILL");
  }
});
