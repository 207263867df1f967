import { createWriteStream } from "node:fs";
import { createToken } from "@/e2e/support/api-user";
import { SseClient } from "@/e2e/support/sse-client";
import { SocketClient } from "@/e2e/support/ws-client";
import { freePort, type Stack, startStack } from "@/scripts/stack";
import { expect, type JobStatus, submitDemoVia, test } from "../support/fixtures";

// Instance A is the stack `npm test` started (a web server and a worker);
// this file starts instance B beside it: a second web server and a second
// worker, real processes on the same PostgreSQL.
const instanceA = process.env.BASE_URL ?? "http://localhost:3000";
let instanceB: Stack;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(90_000);
  instanceB = await startStack({
    mode: "production",
    port: await freePort(),
    databaseUrl: process.env.DATABASE_URL as string,
    output: createWriteStream("test-results/instance-b.log"),
  });
});

test.afterAll(async () => {
  await instanceB?.stop();
});

test("a subscriber on instance A receives every change, in order, of jobs submitted through B", async ({
  sql,
  owner,
}) => {
  const all = await SseClient.open(`${instanceA}/api/events`, owner.headers);
  const socket = await SocketClient.ready(instanceA, owner.headers);
  try {
    // Several jobs, so both workers take some.
    const jobs = await Promise.all(
      Array.from({ length: 4 }, () => submitDemoVia(instanceB.baseUrl, owner, { steps: 4, stepMs: 300 })),
    );
    const perJob = await Promise.all(
      jobs.map((job) => SseClient.open(`${instanceA}/api/jobs/${job.id}/events`, owner.headers)),
    );
    await Promise.all(perJob.map((stream) => stream.done));
    await all.waitFor(() => jobs.every((job) => all.jobs(job.id).some((event) => event.state === "succeeded")));
    await socket.waitFor(() => jobs.every((job) => socket.jobs(job.id).some((event) => event.state === "succeeded")));

    for (const [index, job] of jobs.entries()) {
      for (const events of [all.jobs(job.id), perJob[index]?.jobs() ?? [], socket.jobs(job.id)]) {
        const versions = events.map((event) => event.version);
        expect(versions).toEqual([...versions].sort((a, b) => a - b));
        expect(new Set(versions).size).toBe(versions.length);
        // Every step the worker reported arrived, then the final state.
        expect(events.map((event) => event.progress).filter((p) => p > 0)).toEqual([25, 50, 75, 100]);
        expect(events.at(-1)?.state).toBe("succeeded");
      }
    }

    // A served five streams and a socket over one LISTEN connection; B, which nobody
    // subscribed to, listens to nothing (it starts listening on demand).
    const listeners = await sql`select pid from pg_stat_activity
        where application_name = 'accepted-web' and datname = current_database()
          and query ~* '^listen\\s+"?job_(changes|logs)'`;
    expect(listeners).toHaveLength(1);
  } finally {
    all.close();
    socket.close();
  }
});

test("a long poll on instance A returns when a worker moves a job submitted through B", async ({ owner }) => {
  const job = await submitDemoVia(instanceB.baseUrl, owner, { steps: 2, stepMs: 1_000 });
  // Long-poll A from the version A has now; the next change is made by a
  // worker and announced through PostgreSQL, not through A.
  const current = (await (
    await fetch(`${instanceA}/api/jobs/${job.id}?redirect=false`, { headers: owner.headers })
  ).json()) as JobStatus;
  const response = await fetch(`${instanceA}/api/jobs/${job.id}?redirect=false`, {
    headers: { ...owner.headers, "If-None-Match": `W/"${current.version}"`, Prefer: "wait=30" },
  });
  expect(response.status).toBe(200);
  const changed = (await response.json()) as JobStatus;
  expect(changed.version).toBeGreaterThan(current.version);
});

test("a session signed in on A is valid on B: the instances share the signing secret in Postgres", async ({
  owner,
  stranger,
}) => {
  const job = await submitDemoVia(instanceA, owner, { steps: 1, stepMs: 0 });
  const asOwner = await fetch(`${instanceB.baseUrl}/api/jobs/${job.id}?redirect=false`, {
    headers: { Cookie: owner.cookie },
  });
  expect(asOwner.status).toBe(200);
  // And B keeps owners apart just as A does.
  const asStranger = await fetch(`${instanceB.baseUrl}/api/jobs/${job.id}?redirect=false`, {
    headers: { Cookie: stranger.cookie },
  });
  expect(asStranger.status).toBe(404);
});

test("a token revoked through A stops working on B, which had it cached", async ({ owner }) => {
  const token = await createToken(instanceA, owner, "revoked on A");
  const onB = () => fetch(`${instanceB.baseUrl}/api/jobs?limit=1`, { headers: token.headers });
  expect((await onB()).status).toBe(200);
  expect((await onB()).status).toBe(200); // now answered from B's cache

  expect(await token.revoke()).toBe(200);
  // NOTIFY auth_changes reaches B within moments, not after the cache's 30 s.
  await expect.poll(async () => (await onB()).status, { timeout: 3_000, intervals: [50] }).toBe(401);
});

test("stopping instance B ends its event streams and sockets cleanly and B exits without being killed", async ({
  owner,
}) => {
  const stream = await SseClient.open(`${instanceB.baseUrl}/api/events`, owner.headers);
  await stream.waitFor(() => true);
  const socket = await SocketClient.ready(instanceB.baseUrl, owner.headers);
  const asked = Date.now();
  await instanceB.stop();
  await stream.done;

  expect(stream.closedByServer).toBe(true); // a clean end of the stream, not a reset
  // "Going away": the client reconnects, to another instance.
  expect((await socket.done).code).toBe(1001);
  expect(Date.now() - asked).toBeLessThan(8_000); // stop() kills after 10 s
});
