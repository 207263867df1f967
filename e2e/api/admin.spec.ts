import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { drizzle } from "drizzle-orm/postgres-js";
import * as schema from "@/db/schema";
import { createApiUser } from "@/e2e/support/api-user";
import { SocketClient } from "@/e2e/support/ws-client";
import { adminFilterConditions } from "@/lib/admin/queries";
import { baseURL, expect, type JobStatus, test } from "../support/fixtures";

type AdminJob = JobStatus & { ownerEmail: string | null };
type Page = { items: AdminJob[]; links: { next: string | null } };

// Every test here acts as the first admin, through an API token.

async function listAll(api: APIRequestContext, query: string): Promise<AdminJob[]> {
  const items: AdminJob[] = [];
  for (let next: string | null = `/api/admin/jobs?${query}`; next; ) {
    const response = await api.get(next);
    expect(response.status(), await response.text()).toBe(200);
    const page = (await response.json()) as Page;
    items.push(...page.items);
    next = page.links.next;
  }
  return items;
}

test.describe("GET /api/admin/jobs", () => {
  test("filters by owner, state, type and time, across owners, with their emails", async ({
    adminApi,
    jobsApi,
    strangerApi,
    owner,
    stranger,
  }) => {
    const since = new Date().toISOString();
    const mine = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
    const theirs = (await (
      await strangerApi.post("/api/jobs", { data: { type: "demo.steps", input: { steps: 1 } } })
    ).json()) as JobStatus;
    await jobsApi.waitForState(mine.id, ["succeeded"]);

    const byOwner = await listAll(adminApi, `owner=${encodeURIComponent(stranger.email)}`);
    expect(byOwner.map((job) => job.id)).toEqual([theirs.id]);
    expect(byOwner[0]?.ownerEmail).toBe(stranger.email);

    const recent = await listAll(adminApi, `from=${encodeURIComponent(since)}&type=demo.steps`);
    expect(recent.map((job) => job.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    const succeeded = await listAll(adminApi, `owner=${owner.email}&state=succeeded&from=${encodeURIComponent(since)}`);
    expect(succeeded.map((job) => job.id)).toEqual([mine.id]);
    const before = await listAll(adminApi, `to=${encodeURIComponent(since)}&owner=${owner.email}`);
    expect(before.map((job) => job.id)).not.toContain(mine.id);
  });

  test("searches inside input and error JSON", async ({ adminApi, jobsApi, strangerApi, stranger }) => {
    const marker = `marker${randomUUID().slice(0, 8)}`;
    const exported = await jobsApi.submitAccepted("jobs.export", { type: marker });
    expect((await listAll(adminApi, `q=${marker}`)).map((job) => job.id)).toEqual([exported.id]);

    // A failed attempt's message ("Step 1 of 2 failed (failAtStep was 1)") is searchable once recorded.
    const failing = (await (
      await strangerApi.post("/api/jobs", {
        data: { type: "demo.steps", input: { steps: 2, stepMs: 0, failAtStep: 1 } },
      })
    ).json()) as JobStatus;
    await expect
      .poll(async () => (await listAll(adminApi, `q=failAtStep&owner=${stranger.email}`)).map((job) => job.id), {
        timeout: 30_000,
      })
      .toEqual([failing.id]);
    expect(await listAll(adminApi, `q=${marker}&owner=${stranger.email}`)).toEqual([]);
  });

  test("the search is served by the GIN index, not a scan of the table", async ({ sql }) => {
    const db = drizzle(sql, { schema });
    const query = db
      .select()
      .from(schema.jobs)
      .where(adminFilterConditions({ q: "report" }))
      .toSQL();
    const [plan] = await sql.unsafe(`explain (format json) ${query.sql}`, query.params as string[]);
    expect(JSON.stringify(plan)).toContain("jobs_search_idx");
  });

  test("pages with a cursor, in the order asked, without repeats", async ({ adminApi, jobsApi, owner }) => {
    for (let i = 0; i < 5; i++) await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
    const oldestFirst = await listAll(adminApi, `owner=${owner.email}&sort=created-asc&limit=2`);
    const newestFirst = await listAll(adminApi, `owner=${owner.email}&limit=3`);
    expect(oldestFirst.length).toBeGreaterThanOrEqual(5);
    expect(new Set(oldestFirst.map((job) => job.id)).size).toBe(oldestFirst.length);
    expect(oldestFirst.map((job) => job.id)).toEqual(newestFirst.map((job) => job.id).reverse());
  });

  test("bad filters are 422 problems", async ({ adminApi }) => {
    for (const query of ["sort=sideways", "from=yesterday", "state=lost", "limit=1000", "cursor=abc"]) {
      const response = await adminApi.get(`/api/admin/jobs?${query}`);
      expect(response.status(), query).toBe(422);
      expect(response.headers()["content-type"]).toContain("application/problem+json");
    }
  });

  test("is a 404 for users and a 401 for nobody", async ({ request, anonymous }) => {
    for (const path of ["/api/admin/jobs", "/api/admin/overview", "/api/admin/audit", "/api/metrics"]) {
      expect((await request.get(path)).status(), path).toBe(404);
      expect((await anonymous.get(path)).status(), path).toBe(401);
    }
    expect(
      (await request.post("/api/admin/bulk", { data: { action: "cancel", jobIds: [randomUUID()] } })).status(),
    ).toBe(404);
  });
});

test("a job's admin view has its owner and the timeline of every state change", async ({
  adminApi,
  jobsApi,
  owner,
}) => {
  // Fails its first attempt, succeeds on the second.
  const job = await jobsApi.submitAccepted("demo.steps", { steps: 2, stepMs: 0, failAtStep: 1, failingAttempts: 1 });
  await jobsApi.waitForState(job.id, ["succeeded"]);
  const response = await adminApi.get(`/api/admin/jobs/${job.id}`);
  expect(response.status()).toBe(200);
  const view = (await response.json()) as {
    ownerEmail: string;
    timeline: { state: string; attempt: number; detail: string | null }[];
  };
  expect(view.ownerEmail).toBe(owner.email);
  expect(view.timeline.map((event) => [event.state, event.attempt])).toEqual([
    ["queued", 0],
    ["running", 1],
    ["queued", 1],
    ["running", 2],
    ["succeeded", 2],
  ]);
  expect(view.timeline[2]?.detail).toMatch(/^attempt 1 failed: Step 1 of 2 failed/);
});

test("a bulk cancel of everything matching is a job of its own, with progress, and is audited", async ({
  adminApi,
  admin,
  playwright,
  sql,
}) => {
  // A user of this test's own, so "everything matching" is exactly their jobs.
  const user = await createApiUser(baseURL, "bulk");
  const userApi = await playwright.request.newContext({ baseURL, extraHTTPHeaders: user.headers });
  // Long jobs, so all are still queued or running when the bulk action comes.
  const ids: string[] = [];
  for (let i = 0; i < 60; i++) {
    const response = await userApi.post("/api/jobs", {
      data: { type: "demo.steps", input: { steps: 30, stepMs: 1000 } },
    });
    ids.push(((await response.json()) as JobStatus).id);
  }
  const accepted = await adminApi.post("/api/admin/bulk", {
    data: { action: "cancel", filter: { owner: user.email, state: "queued,running" } },
  });
  expect(accepted.status()).toBe(202);
  const bulk = (await accepted.json()) as JobStatus;
  expect(accepted.headers().location).toBe(`/api/jobs/${bulk.id}`);
  expect(bulk.type).toBe("admin.bulk");

  let finished: JobStatus | undefined;
  await expect
    .poll(
      async () => {
        finished = (await (await adminApi.get(`/api/jobs/${bulk.id}?redirect=false`)).json()) as JobStatus;
        return finished.state;
      },
      { timeout: 60_000 },
    )
    .toBe("succeeded");
  expect(finished).toMatchObject({ progress: 100, message: "60 cancelled, 0 skipped" });
  expect(await (await adminApi.get(`/api/jobs/${bulk.id}/result`)).json()).toEqual({
    action: "cancel",
    matched: 60,
    changed: 60,
    skipped: 0,
  });

  const rows = await sql`select state, cancelled_by from jobs where id = any(${ids}::uuid[])`;
  expect(rows.every((row) => row.state === "cancelled" && row.cancelled_by === admin.email)).toBe(true);
  const [audit] =
    await sql`select action, actor_email, job_ids, detail from audit_log where detail->>'bulkJobId' = ${bulk.id}`;
  expect(audit).toMatchObject({ action: "bulk-cancel", actor_email: admin.email });
  expect([...((audit?.job_ids as string[] | undefined) ?? [])].sort()).toEqual([...ids].sort());
  // Nothing left running behind the bulk action's back.
  expect(await sql`select 1 from graphile_worker._private_jobs where key = any(${ids})`).toHaveLength(0);
  await userApi.dispose();
});

test("a bulk request naming neither jobs nor a filter is a 422 problem and starts nothing", async ({
  adminApi,
  sql,
}) => {
  const [before] = await sql`select count(*)::int as n from jobs where type = 'admin.bulk'`;
  for (const data of [
    { action: "cancel" },
    { action: "explode", jobIds: [randomUUID()] },
    { action: "retry", jobIds: [], filter: {} },
  ]) {
    const response = await adminApi.post("/api/admin/bulk", { data });
    expect(response.status(), JSON.stringify(data)).toBe(422);
  }
  const [after] = await sql`select count(*)::int as n from jobs where type = 'admin.bulk'`;
  expect(after?.n).toBe(before?.n);
});

test("the overview counts jobs by state and lists live workers", async ({ adminApi, sql }) => {
  const response = await adminApi.get("/api/admin/overview");
  expect(response.status()).toBe(200);
  const overview = (await response.json()) as {
    counts: Record<string, number>;
    perMinute: { minute: string; succeeded: number; failed: number }[];
    workers: unknown[];
  };
  const byState = await sql`select state, count(*)::int as n from jobs group by state`;
  for (const row of byState) expect(overview.counts[row.state]).toBeGreaterThanOrEqual(row.n - 5);
  expect(overview.perMinute).toHaveLength(60);
  expect(overview.workers.length).toBeGreaterThanOrEqual(1);
});

test("/api/metrics is Prometheus text with job, queue, realtime and HTTP metrics", async ({ adminApi, owner }) => {
  // An open socket of this process counts (other tests' connections may too).
  const socket = await SocketClient.ready(baseURL, owner.headers);
  const response = await adminApi.get("/api/metrics");
  socket.close();
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/plain");
  const text = await response.text();
  expect(text).toMatch(/^accepted_jobs\{state="succeeded",type="demo\.steps"\} \d+$/m);
  expect(text).toMatch(/^accepted_queue_depth \d+$/m);
  expect(text).toMatch(/^accepted_oldest_queued_job_age_seconds [\d.]+$/m);
  expect(text).toMatch(/^accepted_live_workers [1-9]\d*$/m);
  expect(text).toMatch(/^accepted_realtime_connections [1-9]\d*$/m);
  expect(text).toMatch(/^accepted_job_duration_seconds\{type="demo\.steps",quantile="0\.5"\} [\d.e-]+$/m);
  expect(text).toMatch(
    /^accepted_http_request_duration_seconds_count\{route="\/api\/jobs",method="POST",status="202"\} \d+$/m,
  );
});
