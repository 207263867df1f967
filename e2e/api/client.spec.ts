import { execFile, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import WebSocket from "ws";
import { type ApiUser, createApiUser } from "../support/api-user";
import { baseURL, expect, test } from "../support/fixtures";
import { FlakyProxy } from "../support/flaky-proxy";

type Sdk = typeof import("../../client/src/index");

const run = promisify(execFile);

// The SDK and CLI as a user gets them: the tarball `npm pack` makes,
// installed into an empty folder.
let folder: string;
let sdk: Sdk;
let user: ApiUser;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  folder = await mkdtemp(path.join(tmpdir(), "accepted-client-"));
  const packed = spawnSync("npm", ["pack", "--pack-destination", folder, "--silent"], {
    cwd: "client",
    encoding: "utf8",
  });
  expect(packed.status, packed.stderr).toBe(0);
  const tarball = path.join(folder, packed.stdout.trim().split("\n").at(-1) as string);
  await writeFile(path.join(folder, "package.json"), JSON.stringify({ name: "try-accepted", type: "module" }));
  const installed = spawnSync("npm", ["install", "--no-audit", "--no-fund", tarball], {
    cwd: folder,
    encoding: "utf8",
  });
  expect(installed.status, installed.stderr).toBe(0);
  sdk = (await import(path.join(folder, "node_modules/@accepted/client/dist/index.js"))) as Sdk;
  user = await createApiUser(baseURL, "sdk");
});

test.afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const jobCount = async (sql: import("postgres").Sql, ownerId: string) =>
  Number((await sql`select count(*)::int as n from jobs where owner_id = ${ownerId}`)[0]?.n);

test("the README's example runs in the folder the tarball was installed into", async () => {
  const readme = await readFile("client/README.md", "utf8");
  const example = /```js\n([\s\S]*?)```/.exec(readme)?.[1] as string;
  await writeFile(path.join(folder, "example.mjs"), example);
  const { stdout } = await run(process.execPath, ["example.mjs"], {
    cwd: folder,
    // Playwright's FORCE_COLOR would colour what console.log prints.
    env: { ...process.env, FORCE_COLOR: "0", ACCEPTED_URL: baseURL, ACCEPTED_TOKEN: user.token },
  });
  expect(stdout).toContain("Step 3 of 3");
  expect(stdout).toContain("kind: 'json'");
});

test("the README's React example type-checks and bundles against the tarball's @accepted/client/react", async () => {
  const readme = await readFile("client/README.md", "utf8");
  const example = /```tsx\n([\s\S]*?)```/.exec(readme)?.[1] as string;
  await writeFile(path.join(folder, "example.tsx"), example);
  // Its peer dependencies, as an app would have them: this project's copies.
  for (const peer of ["react", "@types/react", "@tanstack/react-query", "@tanstack/query-core"]) {
    await mkdir(path.dirname(path.join(folder, "node_modules", peer)), { recursive: true });
    await symlink(path.resolve("node_modules", peer), path.join(folder, "node_modules", peer), "dir");
  }
  const typeCheck = spawnSync(
    process.execPath,
    [
      path.resolve("node_modules/typescript/bin/tsc"),
      ...["--noEmit", "--strict", "--jsx", "react-jsx", "--module", "nodenext", "--moduleResolution", "nodenext"],
      ...["--target", "es2022", "--lib", "es2023,dom", "example.tsx"],
    ],
    { cwd: folder, encoding: "utf8" },
  );
  expect(typeCheck.status, typeCheck.stdout).toBe(0);

  const bundled = await build({
    entryPoints: [path.join(folder, "example.tsx")],
    bundle: true,
    write: false,
    format: "esm",
    jsx: "automatic",
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.keys(bundled.metafile.inputs);
  expect(inputs).toContainEqual(expect.stringMatching(/node_modules\/@accepted\/client\/dist\/react\.js$/));
  expect(inputs).toContainEqual(expect.stringMatching(/node_modules\/@accepted\/client\/dist\/index\.js$/));
});

for (const transport of ["sse", "long-poll", "poll"] as const) {
  test(`follow over ${transport}: every new state in version order, to the result`, async () => {
    const accepted = sdk.createClient({ baseUrl: baseURL, token: user.token });
    const job = await accepted.submit("demo.steps", { steps: 4, stepMs: 300 });
    const seen: { version: number; progress: number; state: string }[] = [];
    for await (const state of job.follow({ transport })) seen.push(state);
    expect(seen.at(-1)).toMatchObject({ state: "succeeded", progress: 100 });
    const versions = seen.map((state) => state.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    expect(await job.result()).toEqual({ kind: "json", value: expect.anything() });
  });
}

test("follow over a WebSocket with a read-only job token (a browser's way: the token in the query)", async () => {
  const owner = sdk.createClient({ baseUrl: baseURL, token: user.token });
  const job = await owner.submit("demo.steps", { steps: 3, stepMs: 300 });
  const { token } = await owner.jobToken(job.id);
  const previous = globalThis.WebSocket;
  // Node 20 has no WebSocket of its own; `ws` stands in for the browser's.
  Object.assign(globalThis, { WebSocket });
  try {
    const reader = sdk.createClient({ baseUrl: baseURL, token });
    const states: string[] = [];
    for await (const state of reader.job(job.id).follow({ transport: "websocket" })) states.push(state.state);
    expect(states.at(-1)).toBe("succeeded");
  } finally {
    Object.assign(globalThis, { WebSocket: previous });
  }
});

test("an event stream cut again and again is resumed from the version it had, to the end", async () => {
  const proxy = await FlakyProxy.start(baseURL);
  try {
    proxy.cutStreamsAfterMs = 700;
    const accepted = sdk.createClient({ baseUrl: proxy.url, token: user.token });
    const job = await accepted.submit("demo.steps", { steps: 6, stepMs: 400 });
    const versions: number[] = [];
    for await (const state of job.follow({ transport: "sse" })) versions.push(state.version);
    expect(proxy.streamsOpened).toBeGreaterThan(1);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    expect((await job.status()).version).toBe(versions.at(-1));
    expect(job.last?.state).toBe("succeeded");
  } finally {
    await proxy.stop();
  }
});

test("a submit whose answer is lost (503) is sent again with its Idempotency-Key: exactly one job", async ({ sql }) => {
  const proxy = await FlakyProxy.start(baseURL);
  try {
    proxy.loseAnswerTo.push("POST /api/jobs");
    const before = await jobCount(sql, user.id);
    const accepted = sdk.createClient({ baseUrl: proxy.url, token: user.token });
    const job = await accepted.submit("demo.steps", { steps: 1, stepMs: 0 });
    expect(proxy.loseAnswerTo).toEqual([]);
    expect(await jobCount(sql, user.id)).toBe(before + 1);
    expect((await job.wait()).state).toBe("succeeded");
  } finally {
    await proxy.stop();
  }
});

test("a failed job's problem surfaces typed; a file result comes with its name; result kind none is none", async () => {
  const accepted = sdk.createClient({ baseUrl: baseURL, token: user.token });
  const failing = await accepted.submit("demo.steps", { steps: 1, stepMs: 0, failAtStep: 1 });
  expect((await failing.wait()).state).toBe("failed");
  const problem = await failing.result().catch((error: unknown) => error);
  expect(problem).toBeInstanceOf(sdk.AcceptedProblem);
  expect(problem).toMatchObject({ status: 500, type: "/problems/job-failed", members: { jobId: failing.id } });

  const exported = await accepted.submit("jobs.export", {});
  const file = await exported.result();
  expect(file).toMatchObject({ kind: "file", contentType: expect.stringContaining("text/csv") });
  expect(file.kind === "file" && file.filename.endsWith(".csv")).toBe(true);
  expect(file.kind === "file" && file.blob.size).toBeGreaterThan(0);

  const sent = await accepted.submit("notify.email", { to: "someone@example.com", subject: "Hi", message: "Hello" });
  expect(await sent.result()).toEqual({ kind: "none" });

  // A bad request is a typed problem too, with its members.
  const refused = await accepted.submit("demo.steps", { steps: 0 }).catch((error: unknown) => error);
  expect(refused).toMatchObject({ status: 422, members: { errors: expect.any(Array) } });
});

test("job.logs() follows a job's log to its end, in order; without follow, the lines there are now", async () => {
  const accepted = sdk.createClient({ baseUrl: baseURL, token: user.token });
  const job = await accepted.submit("demo.steps", { steps: 3, stepMs: 300 });
  const messages: string[] = [];
  for await (const line of job.logs()) messages.push(line.message);
  expect(messages).toEqual([
    "Running 3 steps of 300 ms",
    "Step 1 of 3 done",
    "Step 2 of 3 done",
    "Step 3 of 3 done",
    expect.stringMatching(/^All 3 steps done/),
  ]);
  const infoOnly: string[] = [];
  for await (const line of job.logs({ follow: false, level: "info" })) infoOnly.push(line.level);
  expect(infoOnly).toEqual(["info", "info"]);
  const resumed: string[] = [];
  const all = [];
  for await (const line of job.logs({ follow: false })) all.push(line);
  for await (const line of job.logs({ follow: false, after: all[2]?.id })) resumed.push(line.message);
  expect(resumed).toEqual(messages.slice(3));
});

test("submit with wait: a quick job comes back finished from its one request; result() only reads the result", async () => {
  const sent: string[] = [];
  const counting: typeof fetch = (input, init) => {
    sent.push(`${init?.method ?? "GET"} ${new URL(String(input)).pathname}`);
    return fetch(input, init);
  };
  const accepted = sdk.createClient({ baseUrl: baseURL, token: user.token, fetch: counting });
  const job = await accepted.submit("demo.steps", { steps: 1, stepMs: 10 }, { wait: 8 });
  expect(job.last).toMatchObject({ id: job.id, state: "succeeded", progress: 100 });
  expect((await job.wait()).state).toBe("succeeded");
  expect(await job.result()).toEqual({ kind: "json", value: expect.objectContaining({ steps: 1 }) });
  expect(sent).toEqual(["POST /api/jobs", `GET /api/jobs/${job.id}/result`]);

  // A failed job is answered with its problem (its three attempts take longer than a wait may: here its submit,
  // sent again under the same key, finds it failed). The handle knows it failed: its state is read once.
  const idempotencyKey = `failing-${Date.now()}`;
  const input = { steps: 1, stepMs: 10, failAtStep: 1 };
  expect((await (await accepted.submit("demo.steps", input, { idempotencyKey })).wait()).state).toBe("failed");
  sent.length = 0;
  const failing = await accepted.submit("demo.steps", input, { idempotencyKey, wait: 1 });
  expect(failing.last?.state).toBe("failed");
  const problem = await failing.result().catch((error: unknown) => error);
  expect(problem).toBeInstanceOf(sdk.AcceptedProblem);
  expect(problem).toMatchObject({ status: 500, members: { jobId: failing.id, state: "failed" } });
  expect(sent).toEqual(["POST /api/jobs", `GET /api/jobs/${failing.id}`]);

  // A slow one is answered once the wait is over, unfinished, and followed as usual.
  const slow = await accepted.submit("demo.steps", { steps: 2, stepMs: 1_000 }, { wait: 1 });
  expect(["queued", "running"]).toContain(slow.last?.state);
  expect((await slow.wait()).state).toBe("succeeded");
  await expect(accepted.submit("demo.steps", { steps: 1 }, { wait: -1 })).rejects.toThrow(RangeError);
});

test("submit with runAt: the job is scheduled until then (a delay in seconds, or a Date)", async () => {
  const accepted = sdk.createClient({ baseUrl: baseURL, token: user.token });
  const before = Date.now();
  const delayed = await accepted.submit("demo.steps", { steps: 1, stepMs: 10 }, { runAt: 120 });
  expect(delayed.last?.state).toBe("scheduled");
  const runAt = Date.parse(delayed.last?.runAt ?? "");
  expect(runAt).toBeGreaterThanOrEqual(before + 115_000);
  expect(runAt).toBeLessThanOrEqual(Date.now() + 125_000);

  const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3_600_000);
  const timed = await accepted.submit("demo.steps", { steps: 1, stepMs: 10 }, { runAt: at });
  expect(timed.last).toMatchObject({ state: "scheduled" });
  expect(Date.parse(timed.last?.runAt ?? "")).toBe(at.getTime());
  expect((await timed.status()).state).toBe("scheduled");

  const soon = await accepted.submit("demo.steps", { steps: 1, stepMs: 10 }, { runAt: 1 });
  expect(soon.last?.state).toBe("scheduled");
  expect((await soon.wait()).state).toBe("succeeded");

  expect((await delayed.cancel()).state).toBe("cancelled");
  expect((await timed.cancel()).state).toBe("cancelled");
});

test("submit with a concurrencyKey: while its job is unfinished, that job answers again, marked existing", async () => {
  const accepted = sdk.createClient({ baseUrl: baseURL, token: user.token });
  const concurrencyKey = `nightly-${Date.now()}`;
  // Scheduled an hour ahead: unfinished for as long as the test needs.
  const first = await accepted.submit("demo.steps", { steps: 1 }, { concurrencyKey, runAt: 3_600 });
  expect(first.existing).toBe(false);
  expect(first.last?.concurrencyKey).toBe(concurrencyKey);
  const second = await accepted.submit("demo.steps", { steps: 1 }, { concurrencyKey, runAt: 3_600 });
  expect(second.id).toBe(first.id);
  expect(second.existing).toBe(true);
  expect(second.last?.state).toBe("scheduled");

  // Once it has finished (here: cancelled), the key makes a new job.
  await first.cancel();
  const third = await accepted.submit("demo.steps", { steps: 1, stepMs: 10 }, { concurrencyKey });
  expect(third.id).not.toBe(first.id);
  expect(third.existing).toBe(false);
  expect((await third.wait()).state).toBe("succeeded");
});

test("schedules: create, list, its runs arrive, pause, resume, delete", async () => {
  const accepted = sdk.createClient({ baseUrl: baseURL, token: user.token });
  const schedule = await accepted.schedules.create({
    type: "demo.steps",
    input: { steps: 1, stepMs: 10 },
    cron: "*/2 * * * * *",
  });
  try {
    expect(schedule).toMatchObject({
      type: "demo.steps",
      cron: "*/2 * * * * *",
      timezone: "UTC",
      paused: false,
      concurrencyKey: null,
    });
    expect(schedule.upcoming).toHaveLength(5);
    expect((await accepted.schedules.list()).map((item) => item.id)).toContain(schedule.id);
    expect((await accepted.schedules.get(schedule.id)).id).toBe(schedule.id);

    // Every 2 s: runs come, each an ordinary job naming the schedule.
    let runs: Awaited<ReturnType<typeof accepted.schedules.runs>> = [];
    await expect
      .poll(
        async () => {
          runs = await accepted.schedules.runs(schedule.id, { state: "succeeded" });
          return runs.length;
        },
        { timeout: 15_000, intervals: [500] },
      )
      .toBeGreaterThanOrEqual(2);
    expect(runs[0]).toMatchObject({ type: "demo.steps", scheduleId: schedule.id, input: { steps: 1, stepMs: 10 } });
    expect((await accepted.schedules.runs(schedule.id, { limit: 1 })).length).toBe(1);

    const paused = await accepted.schedules.pause(schedule.id);
    expect(paused).toMatchObject({ paused: true, nextRunAt: null, upcoming: [] });
    const resumed = await accepted.schedules.resume(schedule.id);
    expect(resumed.paused).toBe(false);
    expect(Date.parse(resumed.nextRunAt ?? "")).toBeGreaterThan(Date.now() - 1_000);

    const changed = await accepted.schedules.update(schedule.id, { cron: "0 9 * * MON-FRI", timezone: "Europe/Paris" });
    expect(changed).toMatchObject({ cron: "0 9 * * MON-FRI", timezone: "Europe/Paris", paused: false });

    await accepted.schedules.delete(schedule.id);
    const gone = await accepted.schedules.get(schedule.id).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(sdk.AcceptedProblem);
    expect(gone).toMatchObject({ status: 404 });
    expect((await accepted.schedules.list()).map((item) => item.id)).not.toContain(schedule.id);
  } finally {
    await accepted.schedules.delete(schedule.id).catch(() => {});
  }

  const refused = await accepted.schedules
    .create({ type: "demo.steps", input: { steps: 1 }, cron: "not a cron" })
    .catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(sdk.AcceptedProblem);
  expect(refused).toMatchObject({ status: 422 });
});

test.describe("the accepted CLI", () => {
  const cli = (args: string[], token = user.token) =>
    run(path.join(folder, "node_modules/.bin/accepted"), args, {
      env: { ...process.env, ACCEPTED_URL: baseURL, ACCEPTED_TOKEN: token },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  test("submit --follow exits 0 for a job that succeeds, printing a line per change and its log when piped", async () => {
    const { code, stdout } = await cli(["submit", "demo.steps", "--input", '{"steps": 3, "stepMs": 200}', "--follow"]);
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines.at(-1)).toMatch(/^succeeded 100% Step 3 of 3/);
    // The job's log, as it came, before its end.
    const logged = lines.filter((line) => /^\d\d:\d\d:\d\d\.\d{3} (INFO |DEBUG) \[1\] /.test(line));
    expect(logged.map((line) => line.slice(23))).toEqual([
      'Running 3 steps of 200 ms {"steps":3,"stepMs":200}',
      'Step 1 of 3 done {"step":1}',
      'Step 2 of 3 done {"step":2}',
      'Step 3 of 3 done {"step":3}',
      expect.stringMatching(/^All 3 steps done in \d+ ms \{"durationMs":\d+\}$/),
    ]);
  });

  test("logs prints a job's log; --follow to its end; --level narrows it", async () => {
    const submitted = await cli(["submit", "demo.steps", "-i", '{"steps": 2, "stepMs": 300}']);
    const id = submitted.stdout.trim();
    const followed = await cli(["logs", id, "--follow"]);
    expect(followed.code).toBe(0);
    expect(followed.stdout.trim().split("\n")).toHaveLength(4);
    expect(followed.stdout).toMatch(/INFO {2}\[1\] All 2 steps done/);
    const info = await cli(["logs", id, "--level", "info", "--json"]);
    expect(
      info.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).level),
    ).toEqual(["info", "info"]);
    expect((await cli(["logs", id, "--level", "loud"])).code).toBe(2);
  });

  test("--json prints one valid JSON line per change", async () => {
    const { code, stdout } = await cli(["submit", "demo.steps", "-i", '{"steps": 2, "stepMs": 200}', "-f", "--json"]);
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.at(-1)).toMatchObject({ state: "succeeded" });
    expect(lines.map((job) => job.version)).toEqual([...lines.map((job) => job.version)].sort((a, b) => a - b));
  });

  test("a failing job exits 1, a bad token 3, bad usage 2", async () => {
    expect((await cli(["submit", "demo.steps", "-i", '{"steps":1,"stepMs":0,"failAtStep":1}', "-f"])).code).toBe(1);
    expect((await cli(["jobs"], "acc_not_a_token")).code).toBe(3);
    expect((await cli(["submit", "demo.steps", "-i", "not json"])).code).toBe(2);
    expect((await cli(["frobnicate"])).code).toBe(2);
    expect((await cli(["submit", "demo.steps", "-i", '{"steps": 0}'])).code).toBe(2);
    const help = await cli(["submit", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--follow");
  });

  test("in a checkout, the README's way: `npx accepted`, after `npm run build -w client`", async () => {
    // This checkout, installed by `npm ci` as a fresh clone is: the workspace's bin is linked at install time,
    // before any build, so it must not be the compiled file (npm links no bin whose file is missing).
    const inCheckout = (command: string, args: string[]) =>
      run(command, args, {
        env: { ...process.env, FORCE_COLOR: "0", ACCEPTED_URL: baseURL, ACCEPTED_TOKEN: user.token },
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
    await rm("client/dist", { recursive: true, force: true });
    const unbuilt = await inCheckout("npx", ["accepted", "--help"]);
    expect(unbuilt.code).toBe(2);
    expect(unbuilt.stderr).toContain("npm run build -w client");

    expect((await inCheckout("npm", ["run", "build", "-w", "client"])).code).toBe(0);
    expect((await inCheckout("npx", ["accepted", "--help"])).stdout).toContain("Usage: accepted");
    const followed = await inCheckout("npx", [
      "accepted",
      "submit",
      "demo.steps",
      "-i",
      '{"steps": 2, "stepMs": 100}',
      "-f",
    ]);
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stdout.trim().split("\n").at(-1)).toMatch(/^succeeded 100% Step 2 of 2/);
  });

  test("submit --wait prints a quick job's id and its final state; --run-at schedules; --concurrency-key reuses", async () => {
    const quick = await cli(["submit", "demo.steps", '{"steps": 1, "stepMs": 10}', "--wait", "8"]);
    expect(quick.code, quick.stderr).toBe(0);
    expect(quick.stdout.trim()).toMatch(/^[\da-f-]{36}$/);
    expect(quick.stderr).toMatch(/^succeeded 100% /m);

    // Unfinished when the wait is over: its id, as without one.
    const slow = await cli(["submit", "demo.steps", '{"steps": 2, "stepMs": 1000}', "--wait", "1"]);
    expect(slow.code).toBe(0);
    expect(slow.stdout.trim()).toMatch(/^[\da-f-]{36}$/);
    expect(slow.stderr).toBe("");

    const later = await cli([
      "submit",
      "demo.steps",
      "-i",
      '{"steps": 1}',
      "--run-at",
      "90",
      "--concurrency-key",
      "cli-key",
    ]);
    expect(later.code, later.stderr).toBe(0);
    const id = later.stdout.trim();
    expect(later.stderr).toMatch(/^scheduled 0% \(runs at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/m);
    const again = await cli([
      "submit",
      "demo.steps",
      "-i",
      '{"steps": 1}',
      "--run-at",
      "90",
      "--concurrency-key",
      "cli-key",
    ]);
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe(id);
    expect(again.stderr).toContain('holds concurrency key "cli-key"');
    expect((await cli(["cancel", id])).stdout).toMatch(/^cancelled/);

    expect((await cli(["submit", "demo.steps", "--wait", "11"])).code).toBe(2);
    expect((await cli(["submit", "demo.steps", "--run-at", "tomorrow"])).code).toBe(2);
    expect((await cli(["submit", "demo.steps", "{}", "-i", "{}"])).code).toBe(2);
  });

  test("schedules: create, list, pause, runs, delete, as a person reads them", async () => {
    const help = await cli(["--help"]);
    expect(help.stdout).toMatch(/^ {2}schedules\b.*list, create/m);
    const schedulesHelp = await cli(["schedules", "--help"]);
    expect(schedulesHelp.code).toBe(0);
    for (const command of ["list", "create", "get", "update", "pause", "resume", "delete", "runs"]) {
      expect(schedulesHelp.stdout).toMatch(new RegExp(`^ {2}${command}\\b`, "m"));
    }

    const created = await cli([
      ...["schedules", "create", "demo.steps", '{"steps": 1, "stepMs": 10}'],
      ...["--cron", "*/2 * * * * *", "--timezone", "Europe/Paris"],
    ]);
    expect(created.code, created.stderr).toBe(0);
    const id = /^id +(\S+)$/m.exec(created.stdout)?.[1] as string;
    expect(id).toMatch(/^[\da-f-]{36}$/);
    expect(created.stdout).toMatch(/^cron +\*\/2 \* \* \* \* \* \(Europe\/Paris\)$/m);
    expect(created.stdout).toMatch(/^state +active$/m);
    expect(created.stdout).toMatch(/^next +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d Europe\/Paris \(.* UTC\)$/m);
    try {
      const listed = await cli(["schedules", "list"]);
      expect(listed.code).toBe(0);
      const [header, ...rows] = listed.stdout.trim().split("\n");
      expect(header).toMatch(/^ID +TYPE +CRON +ZONE +STATE +NEXT$/);
      const row = rows.find((text) => text.startsWith(id));
      expect(row).toMatch(/ demo\.steps +\*\/2 \* \* \* \* \* +Europe\/Paris +active +\d{4}-/);

      const paused = await cli(["schedules", "pause", id]);
      expect(paused.code).toBe(0);
      expect(paused.stdout).toMatch(/^state +paused$/m);
      expect(paused.stdout).not.toMatch(/^next /m);
      expect((await cli(["schedules", "list"])).stdout).toMatch(new RegExp(`^${id} .* paused +-$`, "m"));

      const runs = await cli(["schedules", "runs", id, "--json"]);
      expect(runs.code).toBe(0);
      for (const text of runs.stdout.trim().split("\n").filter(Boolean)) {
        expect(JSON.parse(text)).toMatchObject({ scheduleId: id });
      }
      const resumed = await cli(["schedules", "resume", id, "--json"]);
      expect(JSON.parse(resumed.stdout)).toMatchObject({ id, paused: false });
    } finally {
      const deleted = await cli(["schedules", "delete", id]);
      expect(deleted.code).toBe(0);
      expect(deleted.stdout.trim()).toBe(`deleted ${id}`);
    }
    const gone = await cli(["schedules", "get", id]);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain("(404)");
    expect((await cli(["schedules", "create", "demo.steps", "--cron", "never"])).code).toBe(2);
  });

  test("result -o writes a file result under the name given", async () => {
    const { stdout } = await cli(["submit", "jobs.export", "-i", "{}"]);
    const id = stdout.trim();
    const target = path.join(folder, "export.csv");
    expect((await cli(["result", id, "-o", target])).code).toBe(0);
    expect(await readFile(target, "utf8")).toContain("id,");
  });
});
