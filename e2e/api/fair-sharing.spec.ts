import type { APIRequestContext, APIResponse } from "@playwright/test";
import { drizzle } from "drizzle-orm/postgres-js";
import * as schema from "@/db/schema";
import { type ApiUser, createApiUser } from "@/e2e/support/api-user";
import { submitJob } from "@/lib/jobs/lifecycle";
import { findJobType } from "@/lib/jobs/registry";
import { baseURL, expect, test } from "../support/fixtures";
import { isolatedDatabase } from "../support/isolated";

/**
 * Fair sharing (issue 14): a cap per user on unfinished jobs, fair order
 * between users, and per-type pause and concurrency limits, checked from
 * what clients see and from the rows' own times.
 */

/** Submits `count` jobs, `parallel` at a time, in order of batches; every answer, in order. */
async function submitMany(
  api: APIRequestContext,
  count: number,
  type: string,
  input: Record<string, unknown>,
  parallel = 25,
): Promise<APIResponse[]> {
  const answers: APIResponse[] = [];
  for (let start = 0; start < count; start += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - start) }, () =>
      api.post("/api/jobs", { data: { type, input }, maxRedirects: 0 }),
    );
    answers.push(...(await Promise.all(batch)));
  }
  return answers;
}

/** Cancels every unfinished job of `user` (an admin bulk action) and waits until none is left. */
async function cancelEverything(adminApi: APIRequestContext, sql: import("postgres").Sql, user: ApiUser) {
  const accepted = await adminApi.post("/api/admin/bulk", {
    data: { action: "cancel", filter: { owner: user.email, state: "queued,running" } },
  });
  expect(accepted.status(), await accepted.text()).toBe(202);
  await expect
    .poll(
      async () =>
        (
          await sql`select count(*)::int as n from jobs where owner_id = ${user.id} and state in ('queued', 'running')`
        )[0]?.n,
      { timeout: 60_000 },
    )
    .toBe(0);
}

test("a flood stops at the user's cap with 429s that write nothing, and another user's job still starts within 5 s", async ({
  adminApi,
  apiOf,
  jobsApi,
  sql,
}) => {
  test.setTimeout(180_000);
  const flooder = await createApiUser(baseURL, "flooder");
  const floodApi = await apiOf(flooder);
  const CAP = 300;
  try {
    const capSet = await adminApi.put(`/api/admin/users/${flooder.id}/job-cap`, {
      data: { maxUnfinishedJobs: CAP },
    });
    expect(capSet.status(), await capSet.text()).toBe(200);
    expect(await capSet.json()).toMatchObject({
      userId: flooder.id,
      email: flooder.email,
      cap: CAP,
      customCap: true,
    });

    // Two-second jobs: the workers stay busy with the flood, and a place frees every half second or so.
    const answers = await submitMany(floodApi, CAP + 40, "demo.steps", { steps: 2, stepMs: 1_000 });
    const statuses = answers.map((answer) => answer.status());
    const acceptedCount = statuses.filter((status) => status === 202).length;
    // The cap counts unfinished jobs, so each job that finished during the flood made room for one more.
    const [finished] = await sql`
        select count(*)::int as n from jobs where owner_id = ${flooder.id} and finished_at is not null`;
    expect(acceptedCount).toBeGreaterThanOrEqual(CAP);
    expect(acceptedCount).toBeLessThanOrEqual(CAP + (finished?.n ?? 0));
    expect(statuses.filter((status) => status === 429)).toHaveLength(CAP + 40 - acceptedCount);
    expect(acceptedCount).toBeLessThan(CAP + 40);
    const refused = answers.find((answer) => answer.status() === 429) as APIResponse;
    expect(refused.headers()["content-type"]).toContain("application/problem+json");
    expect(Number(refused.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({
      type: "/problems/too-many-unfinished-jobs",
      status: 429,
      cap: CAP,
      unfinished: CAP,
    });
    // Nothing written for the refused: a row for each 202 and no more, and never more than the cap unfinished.
    const [rows] = await sql`
        select count(*)::int as n, count(*) filter (where state in ('queued', 'running'))::int as unfinished
        from jobs where owner_id = ${flooder.id}`;
    expect(rows?.n).toBe(acceptedCount);
    expect(rows?.unfinished).toBeLessThanOrEqual(CAP);
    const [entries] = await sql`
        select count(*)::int as n from graphile_worker._private_jobs
        where (payload->>'jobId')::uuid in (select id from jobs where owner_id = ${flooder.id} and state = 'queued')`;
    expect(entries?.n).toBeGreaterThanOrEqual(200);
    const usage = await floodApi.get("/api/account/usage");
    expect(await usage.json()).toMatchObject({ cap: CAP, customCap: true });

    // Another user's job, behind hundreds of the flooder's.
    const mine = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 100 });
    const [backlog] = await sql`
        select count(*)::int as n from jobs where owner_id = ${flooder.id} and state = 'queued'`;
    expect(backlog?.n).toBeGreaterThanOrEqual(200);
    await jobsApi.waitForState(mine.id, ["running", "succeeded"], 20_000);
    const [timing] = await sql`
        select extract(epoch from started_at - created_at)::float8 as wait from jobs where id = ${mine.id}`;
    console.log(`another user's job started ${timing?.wait.toFixed(2)} s after submit, behind ${backlog?.n} queued`);
    expect(timing?.wait).toBeLessThan(5);
    const [still] = await sql`
        select count(*)::int as n from jobs where owner_id = ${flooder.id} and state = 'queued'`;
    expect(still?.n).toBeGreaterThanOrEqual(150);
  } finally {
    await cancelEverything(adminApi, sql, flooder);
  }
});

test("two users with 100 jobs each share the workers: their completions interleave", async ({ apiOf, sql }) => {
  test.setTimeout(180_000);
  const first = await createApiUser(baseURL, "fair-first");
  const second = await createApiUser(baseURL, "fair-second");
  const input = { steps: 1, stepMs: 300 };
  // All of the first user's jobs are in before the second user sends any: first-in-first-out would run them all first.
  for (const answer of await submitMany(await apiOf(first), 100, "demo.steps", input))
    expect(answer.status()).toBe(202);
  for (const answer of await submitMany(await apiOf(second), 100, "demo.steps", input))
    expect(answer.status()).toBe(202);
  await expect
    .poll(
      async () =>
        (
          await sql`select count(*)::int as n from jobs where owner_id in (${first.id}, ${second.id}) and state = 'succeeded'`
        )[0]?.n,
      { timeout: 150_000 },
    )
    .toBe(200);
  const order = await sql`
      select owner_id from jobs where owner_id in (${first.id}, ${second.id}) order by started_at, finished_at`;
  const owners = order.map((row) => (row.owner_id === first.id ? "1" : "2")).join("");
  // While both had jobs waiting (from the second user's first start to the first user's last), they alternate.
  const both = owners.slice(owners.indexOf("2"), owners.lastIndexOf("1") + 1);
  const secondShare = both.split("").filter((owner) => owner === "2").length / both.length;
  const longestRun = Math.max(...(both.match(/1+|2+/g) ?? []).map((run) => run.length));
  console.log(
    `start order: ${owners}; while both waited: ${both.length} starts, the second user's share ${secondShare.toFixed(2)}, longest run ${longestRun}`,
  );
  expect(both.length).toBeGreaterThanOrEqual(80);
  expect(secondShare).toBeGreaterThanOrEqual(0.35);
  expect(secondShare).toBeLessThanOrEqual(0.65);
  expect(longestRun).toBeLessThanOrEqual(12);
});

test("pausing a type holds its queued jobs, which say so; resuming runs them; both audited", async ({
  adminApi,
  jobsApi,
  request,
  sql,
}) => {
  test.setTimeout(90_000);
  const type = "test.record";
  try {
    const paused = await adminApi.patch(`/api/admin/job-types/${type}`, { data: { paused: true } });
    expect(paused.status(), await paused.text()).toBe(200);
    expect(await paused.json()).toMatchObject({ type, paused: true });

    const submitted = await Promise.all([1, 2, 3].map(() => jobsApi.submitAccepted(type)));
    for (const job of submitted) expect(job).toMatchObject({ state: "queued", paused: true });
    // Held: well past when an idle worker would have run them, they are still queued, and say why.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    for (const job of submitted) {
      const status = await jobsApi.status(job.id, { redirect: false });
      expect(await status.json()).toMatchObject({ state: "queued", paused: true, startedAt: null });
      expect(status.headers()["retry-after"]).toBe("10");
    }
    const types = (await (await adminApi.get("/api/admin/job-types")).json()) as {
      items: { type: string; queued: number; paused: boolean }[];
    };
    expect(types.items.find((row) => row.type === type)).toMatchObject({ paused: true, queued: 3 });
    // Only admins control the queue; to anyone else the admin API does not exist.
    expect((await request.patch(`/api/admin/job-types/${type}`, { data: { paused: false } })).status()).toBe(404);

    const resumed = await adminApi.patch(`/api/admin/job-types/${type}`, { data: { paused: false } });
    expect(await resumed.json()).toMatchObject({ type, paused: false });
    for (const job of submitted) {
      expect(await jobsApi.waitForState(job.id, ["succeeded"], 20_000)).toMatchObject({ paused: false });
    }
    const audit = (await (await adminApi.get("/api/admin/audit")).json()) as {
      items: { action: string; detail: Record<string, unknown> }[];
    };
    const actions = audit.items.filter((entry) => entry.detail.type === type).map((entry) => entry.action);
    expect(actions.slice(0, 2)).toEqual(["resume-type", "pause-type"]);
  } finally {
    await adminApi.patch(`/api/admin/job-types/${type}`, { data: { paused: false } });
  }
  const [left] = await sql`select count(*)::int as n from jobs where type = ${type} and paused`;
  expect(left?.n).toBe(0);
});

test("bad queue-control requests are 4xx problems that change nothing", async ({ adminApi, sql }) => {
  const before = await sql`select * from job_type_controls order by type`;
  const cases: [string, string, unknown, number][] = [
    ["PATCH", "/api/admin/job-types/no.such.type", { paused: true }, 404],
    ["PATCH", "/api/admin/job-types/demo.steps", {}, 422],
    ["PATCH", "/api/admin/job-types/demo.steps", { concurrencyLimit: 0 }, 422],
    ["PATCH", "/api/admin/job-types/demo.steps", { paused: "yes" }, 422],
    ["PATCH", "/api/admin/job-types/demo.steps", { paused: true, colour: "red" }, 422],
    ["PUT", "/api/admin/users/no-such-user/job-cap", { maxUnfinishedJobs: 5 }, 404],
    ["PUT", "/api/admin/users/x/job-cap", { maxUnfinishedJobs: -1 }, 422],
    ["PUT", "/api/admin/users/x/job-cap", { maxUnfinishedJobs: 1.5 }, 422],
  ];
  for (const [method, path, data, status] of cases) {
    const answer = await adminApi.fetch(path, { method, data });
    expect(answer.status(), `${method} ${path} ${JSON.stringify(data)}: ${await answer.text()}`).toBe(status);
    expect(answer.headers()["content-type"]).toContain("application/problem+json");
  }
  expect(await sql`select * from job_type_controls order by type`).toEqual(before);
});

test("a concurrency limit of 2 is never exceeded across two worker processes", async ({ sql }) => {
  test.setTimeout(120_000);
  const isolated = await isolatedDatabase(sql, "limit");
  try {
    const heartbeat = { WORKER_HEARTBEAT_MS: "500", WORKER_CONCURRENCY: "4" };
    isolated.startWorker(heartbeat);
    isolated.startWorker(heartbeat);
    await expect
      .poll(async () => (await isolated.sql`select distinct pid from worker_heartbeats`).length, { timeout: 30_000 })
      .toBe(2);
    await isolated.db
      .insert(schema.jobTypeControls)
      .values({ type: "demo.steps", concurrencyLimit: 2 })
      .onConflictDoUpdate({ target: schema.jobTypeControls.type, set: { concurrencyLimit: 2 } });
    const jobType = findJobType("demo.steps");
    if (!jobType) throw new Error("demo.steps is missing");
    const db = drizzle(isolated.sql, { schema });
    for (let index = 0; index < 12; index++) {
      await submitJob(db, { jobType, input: { steps: 2, stepMs: 300 }, ownerId: null });
    }
    await expect
      .poll(async () => (await isolated.sql`select count(*)::int as n from jobs where state = 'succeeded'`)[0]?.n, {
        timeout: 90_000,
      })
      .toBe(12);
    // The most attempts that overlapped in time, from the rows' own start and finish times.
    const [overlap] = await isolated.sql`
      select max(running)::int as most from (
        select (select count(*) from jobs other
                where other.attempt_started_at <= job.attempt_started_at and other.finished_at > job.attempt_started_at) as running
        from jobs job) counts`;
    console.log(`12 jobs with a limit of 2 across two workers of 4 slots: at most ${overlap?.most} ran at once`);
    expect(overlap?.most).toBe(2);
  } finally {
    await isolated.drop();
  }
});
