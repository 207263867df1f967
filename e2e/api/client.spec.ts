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

  test("result -o writes a file result under the name given", async () => {
    const { stdout } = await cli(["submit", "jobs.export", "-i", "{}"]);
    const id = stdout.trim();
    const target = path.join(folder, "export.csv");
    expect((await cli(["result", id, "-o", target])).code).toBe(0);
    expect(await readFile(target, "utf8")).toContain("id,");
  });
});
