import { createWriteStream } from "node:fs";
import { SseClient } from "@/e2e/support/sse-client";
import { freePort, type Stack, startStack } from "@/scripts/stack";
import { expect, type JobStatus, submitDemoVia, test } from "../support/fixtures";
import { type PgBouncer, startPgBouncer } from "../support/pgbouncer";

// docs/scaling.md's advice, proved: a second instance (web and worker) whose
// DATABASE_URL is a real PgBouncer in transaction mode, with prepared
// statements off and DATABASE_DIRECT_URL for what needs a session (LISTEN,
// graphile-worker, migrations), beside the instance `npm test` started.
const instanceA = process.env.BASE_URL ?? "http://localhost:3000";
let bouncer: PgBouncer;
let pooled: Stack;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const direct = process.env.DATABASE_URL as string;
  bouncer = await startPgBouncer(direct, "test-results/pgbouncer.log");
  pooled = await startStack({
    mode: "production",
    port: await freePort(),
    databaseUrl: bouncer.url,
    output: createWriteStream("test-results/instance-pooled.log"),
    env: { DATABASE_DIRECT_URL: direct, DATABASE_PREPARED_STATEMENTS: "false" },
  });
});

test.afterAll(async () => {
  await pooled?.stop();
  await bouncer?.stop();
});

test("through PgBouncer: jobs submitted on either instance run, and each follows the other's every step", async ({
  owner,
}) => {
  const onPooled = await SseClient.open(`${pooled.baseUrl}/api/events`, owner.headers);
  const onA = await SseClient.open(`${instanceA}/api/events`, owner.headers);
  try {
    const jobs = await Promise.all([
      ...Array.from({ length: 3 }, () => submitDemoVia(pooled.baseUrl, owner, { steps: 4, stepMs: 300 })),
      ...Array.from({ length: 3 }, () => submitDemoVia(instanceA, owner, { steps: 4, stepMs: 300 })),
    ]);
    for (const stream of [onPooled, onA]) {
      await stream.waitFor(() => jobs.every((job) => stream.jobs(job.id).some((event) => event.state === "succeeded")));
      for (const job of jobs) {
        const events = stream.jobs(job.id);
        const versions = events.map((event) => event.version);
        expect(versions).toEqual([...versions].sort((a, b) => a - b));
        expect(events.map((event) => event.progress).filter((p) => p > 0)).toEqual([25, 50, 75, 100]);
      }
    }
    // Status polls through the pooler: many statements, prepared statements off, all answered.
    for (const job of jobs) {
      const response = await fetch(`${pooled.baseUrl}/api/jobs/${job.id}`, {
        headers: owner.headers,
        redirect: "manual",
      });
      expect(response.status).toBe(303);
    }
  } finally {
    onPooled.close();
    onA.close();
  }
});

test("through PgBouncer: a long poll returns when a worker moves the job", async ({ owner }) => {
  const job = await submitDemoVia(instanceA, owner, { steps: 2, stepMs: 1_000 });
  const current = (await (
    await fetch(`${pooled.baseUrl}/api/jobs/${job.id}?redirect=false`, { headers: owner.headers })
  ).json()) as JobStatus;
  const response = await fetch(`${pooled.baseUrl}/api/jobs/${job.id}?redirect=false`, {
    headers: { ...owner.headers, "If-None-Match": `W/"${current.version}"`, Prefer: "wait=30" },
  });
  expect(response.status).toBe(200);
  expect(((await response.json()) as JobStatus).version).toBeGreaterThan(current.version);
});

test("the pooled instance really goes through PgBouncer: without it, it is not ready", async () => {
  expect((await fetch(`${pooled.baseUrl}/api/health/ready`)).status).toBe(200);
  await bouncer.stop();
  await expect
    .poll(async () => (await fetch(`${pooled.baseUrl}/api/health/ready`)).status, { timeout: 10_000 })
    .toBe(503);
  expect((await fetch(`${pooled.baseUrl}/api/health/live`)).status).toBe(200);
});
