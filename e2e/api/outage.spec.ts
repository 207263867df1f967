import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import { migrateDatabase } from "@/db/migrate";
import { createApiUser } from "@/e2e/support/api-user";
import { SseClient } from "@/e2e/support/sse-client";
import { type LaunchedDatabase, startPostgresProcess } from "@/scripts/database";
import { freePort, startStack } from "@/scripts/stack";
import { expect, type JobStatus, test } from "../support/fixtures";

// A PostgreSQL, web server and worker of this test's own, so stopping the
// database disturbs no other test.
test("with PostgreSQL stopped the API answers 503; when it returns, everything resumes and nothing is lost", async () => {
  test.setTimeout(180_000);
  const dataDir = `.data/outage-test-${process.pid}`;
  const pgPort = await freePort();
  let database: LaunchedDatabase = await startPostgresProcess(dataDir, pgPort, true);
  await migrateDatabase(database.url);
  const stack = await startStack({
    mode: "production",
    port: await freePort(),
    databaseUrl: database.url,
    output: createWriteStream("test-results/outage-servers.log"),
    env: { WORKER_HEARTBEAT_MS: "1000", WORKER_DEAD_AFTER_MS: "10000" },
  });
  const user = await createApiUser(stack.baseUrl, "outage");
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${stack.baseUrl}${path}`, { ...init, headers: { ...user.headers, ...init.headers } });
  const submit = (input: object) =>
    api("/api/jobs", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ type: "demo.steps", input }),
    });
  const events = await SseClient.open(`${stack.baseUrl}/api/events`, user.headers);
  try {
    // A job that will be in the middle of its run when the database goes away.
    const accepted = (await (await submit({ steps: 8, stepMs: 500 })).json()) as JobStatus;
    await events.waitFor(() => events.jobs(accepted.id).some((job) => job.progress > 0));

    await database.stop();
    const asked = Date.now();
    const refused = await submit({ steps: 1, stepMs: 0 });
    expect(Date.now() - asked).toBeLessThan(10_000); // an answer, not a hang
    expect(refused.status).toBe(503);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ type: "/problems/service-unavailable", status: 503 });
    expect((await api(`/api/jobs/${accepted.id}`)).status).toBe(503);

    await sleep(4_000); // the job finishes its work while the database is still down
    database = await startPostgresProcess(dataDir, pgPort, true);

    // The job accepted before the outage is not lost: its result was written once the database returned.
    await events.waitFor(() => events.jobs(accepted.id).some((job) => job.state === "succeeded"), 60_000);
    const final = (await (await api(`/api/jobs/${accepted.id}?redirect=false`)).json()) as JobStatus;
    expect(final).toMatchObject({ state: "succeeded", progress: 100, attempts: 1 });
    // …and graphile-worker's job did not stay locked behind it.
    const sql = postgres(database.url, { max: 1, onnotice: () => {} });
    try {
      await expect
        .poll(async () => (await sql`select 1 from graphile_worker._private_jobs where key = ${accepted.id}`).length)
        .toBe(0);
    } finally {
      await sql.end();
    }

    // The API, the worker and the LISTEN connection are all back.
    const after = await submit({ steps: 2, stepMs: 100 });
    expect(after.status).toBe(202);
    const { id } = (await after.json()) as JobStatus;
    await events.waitFor(() => events.jobs(id).some((job) => job.state === "succeeded"), 30_000);
  } finally {
    events.close();
    await stack.stop();
    await database.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
