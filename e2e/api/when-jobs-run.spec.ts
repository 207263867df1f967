import type { APIRequestContext } from "@playwright/test";
import { createApiUser } from "../support/api-user";
import { countJobs, expect, type JobStatus, test } from "../support/fixtures";

// When a job runs: answered at once when quick (Prefer: wait), later (runAt), never twice at once (concurrencyKey).

const submit = (api: APIRequestContext, data: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api.post("/api/jobs", { data, headers, maxRedirects: 0 });

test.describe("Prefer: wait on a submit", () => {
  test("a quick job is answered at once, as its status URI would answer: 303 to the result", async ({ request }) => {
    const started = Date.now();
    const response = await submit(
      request,
      { type: "demo.steps", input: { steps: 1, stepMs: 50 } },
      { Prefer: "wait=5" },
    );
    expect(response.status(), await response.text()).toBe(303);
    expect(Date.now() - started).toBeLessThan(5_000);
    const job = (await response.json()) as JobStatus;
    expect(job.state).toBe("succeeded");
    expect(response.headers().location).toBe(`/api/jobs/${job.id}/result`);
    expect(response.headers()["content-location"]).toBe(`/api/jobs/${job.id}`);
    expect(response.headers()["preference-applied"]).toBe("wait=5");
    const result = await request.get(response.headers().location as string);
    expect(await result.json()).toMatchObject({ steps: 1 });
  });

  test("a job that fails within the wait is answered with its problem details", async ({ request }) => {
    // test.sleep's attempts end at their 1.5 s limit: two attempts and the backoff between, about 6 s.
    const response = await submit(
      request,
      { type: "test.sleep", input: { ms: 20_000 } },
      { Prefer: "respond-async, wait=10" },
    );
    expect(response.status(), await response.text()).toBe(504);
    expect(response.headers()["content-type"]).toContain("application/problem+json");
    const problem = await response.json();
    expect(problem).toMatchObject({ type: "/problems/job-timed-out", state: "failed", attempts: 2 });
    expect(problem.instance).toBe(`/api/jobs/${problem.jobId}`);
    expect(response.headers()["content-location"]).toBe(`/api/jobs/${problem.jobId}`);
    expect(response.headers()["preference-applied"]).toBe("wait=10");
  });

  test("a slow job is the usual 202 once the wait is over, and a wait over 10 s counts as 10", async ({ request }) => {
    const started = Date.now();
    const response = await submit(
      request,
      { type: "demo.steps", input: { steps: 3, stepMs: 2_000 } },
      { Prefer: "wait=1" },
    );
    expect(response.status()).toBe(202);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(response.headers()["preference-applied"]).toBe("wait=1");
    const job = (await response.json()) as JobStatus;
    expect(response.headers().location).toBe(`/api/jobs/${job.id}`);
    expect(["queued", "running"]).toContain(job.state);
    await request.delete(`/api/jobs/${job.id}`);

    const capped = await submit(
      request,
      { type: "demo.steps", input: { steps: 1, stepMs: 10 } },
      { Prefer: "wait=600" },
    );
    expect(capped.status()).toBe(303);
    expect(capped.headers()["preference-applied"]).toBe("wait=10");
  });

  test("a batch whose jobs all finish within the wait is answered 303 to its result", async ({ request }) => {
    const response = await request.post("/api/batches", {
      data: { jobs: [1, 2, 3].map((steps) => ({ type: "demo.steps", input: { steps, stepMs: 20 } })) },
      headers: { Prefer: "wait=8" },
      maxRedirects: 0,
    });
    expect(response.status(), await response.text()).toBe(303);
    const batch = await response.json();
    expect(batch).toMatchObject({ state: "finished", counts: { succeeded: 3 } });
    expect(response.headers().location).toBe(`/api/batches/${batch.id}/result`);
    expect(response.headers()["content-location"]).toBe(`/api/batches/${batch.id}`);
    expect(response.headers()["preference-applied"]).toBe("wait=8");
  });

  test("a malformed wait is a 400 problem, and writes nothing", async ({ request, sql, owner }) => {
    const before = await countJobs(sql, owner.id);
    for (const prefer of ["wait=-1", "wait=1.5", "wait=soon", "wait="]) {
      const response = await submit(request, { type: "demo.steps", input: { steps: 1 } }, { Prefer: prefer });
      expect(response.status(), prefer).toBe(400);
      expect(response.headers()["content-type"]).toContain("application/problem+json");
      const batch = await request.post("/api/batches", {
        data: { jobs: [{ type: "demo.steps", input: { steps: 1 } }] },
        headers: { Prefer: prefer },
      });
      expect(batch.status(), prefer).toBe(400);
    }
    expect(await countJobs(sql, owner.id)).toBe(before);
  });
});

test.describe("runAt", () => {
  test("a job scheduled 3 s ahead is scheduled until then, starts within a second after, and runs", async ({
    request,
    sql,
  }) => {
    const runAt = new Date(Date.now() + 3_000);
    const response = await submit(request, {
      type: "demo.steps",
      input: { steps: 1, stepMs: 10 },
      runAt: runAt.toISOString(),
    });
    expect(response.status(), await response.text()).toBe(202);
    const job = (await response.json()) as JobStatus;
    expect(job).toMatchObject({ state: "scheduled", runAt: runAt.toISOString() });
    // Retry-After points at its runAt.
    expect(Number(response.headers()["retry-after"])).toBeGreaterThanOrEqual(2);
    expect(Number(response.headers()["retry-after"])).toBeLessThanOrEqual(4);

    const monitor = await request.get(`/api/jobs/${job.id}`, { maxRedirects: 0 });
    expect((await monitor.json()).state).toBe("scheduled");
    await expect
      .poll(async () => (await sql`select started_at, finished_at from jobs where id = ${job.id}`)[0]?.finished_at, {
        timeout: 10_000,
        intervals: [100],
      })
      .toBeTruthy();
    const [row] = await sql<{ started_at: Date; finished_at: Date; run_at: Date }[]>`
      select coalesce(started_at, finished_at) as started_at, finished_at, run_at from jobs where id = ${job.id}`;
    if (!row) throw new Error(`job ${job.id} is gone`);
    const startedMs = row.started_at.getTime();
    expect(startedMs).toBeGreaterThanOrEqual(runAt.getTime());
    expect(startedMs - runAt.getTime()).toBeLessThan(1_000);
    const done = await request.get(`/api/jobs/${job.id}?redirect=false`);
    expect((await done.json()).state).toBe("succeeded");
  });

  test("a delay in seconds works the same; a scheduled job is cancelled like a queued one, and leaves the queue", async ({
    request,
    sql,
  }) => {
    const response = await submit(request, { type: "demo.steps", input: { steps: 1 }, runAt: 3_600 });
    expect(response.status()).toBe(202);
    const job = (await response.json()) as JobStatus;
    expect(job.state).toBe("scheduled");
    const inMs = Date.parse(job.runAt as string) - Date.now();
    expect(inMs).toBeGreaterThan(3_590_000);
    expect(inMs).toBeLessThanOrEqual(3_600_000);
    expect(job.links.cancel).toBe(`/api/jobs/${job.id}`);
    const [queued] = await sql`select run_at from graphile_worker._private_jobs where key = ${job.id}`;
    expect((queued?.run_at as Date | undefined)?.toISOString()).toBe(job.runAt);

    const cancelled = await request.delete(`/api/jobs/${job.id}`);
    expect(cancelled.status()).toBe(200);
    expect((await cancelled.json()).state).toBe("cancelled");
    expect(await sql`select 1 from graphile_worker._private_jobs where key = ${job.id}`).toHaveLength(0);
  });

  test("a delay is part of the request as sent: a retry with the same Idempotency-Key is a replay", async ({
    request,
  }) => {
    const headers = { "Idempotency-Key": `"later-${Date.now()}"` };
    const first = await submit(request, { type: "demo.steps", input: { steps: 1 }, runAt: 600 }, headers);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const again = await submit(request, { type: "demo.steps", input: { steps: 1 }, runAt: 600 }, headers);
    expect(first.status()).toBe(202);
    expect(again.status()).toBe(202);
    expect(again.headers()["idempotent-replayed"]).toBe("true");
    const job = (await first.json()) as JobStatus;
    expect(((await again.json()) as JobStatus).id).toBe(job.id);
    await request.delete(`/api/jobs/${job.id}`);
  });

  test("a scheduled job holds a place in its owner's cap, and the list and filters know the state", async ({
    baseURL,
    admin,
    playwright,
  }) => {
    const user = await createApiUser(baseURL as string, "scheduler");
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: user.headers });
    const adminApi = await playwright.request.newContext({ baseURL, extraHTTPHeaders: admin.headers });
    try {
      await adminApi.put(`/api/admin/users/${user.id}/job-cap`, { data: { maxUnfinishedJobs: 1 } });
      const scheduled = await submit(api, { type: "demo.steps", input: { steps: 1 }, runAt: 600 });
      expect(scheduled.status()).toBe(202);
      const job = (await scheduled.json()) as JobStatus;
      expect(await (await api.get("/api/account/usage")).json()).toMatchObject({ unfinished: 1, cap: 1 });
      const refused = await submit(api, { type: "demo.steps", input: { steps: 1 } });
      expect(refused.status()).toBe(429);
      const listed = await (await api.get("/api/jobs?state=scheduled")).json();
      expect(listed.items.map((item: JobStatus) => item.id)).toEqual([job.id]);
      await api.delete(`/api/jobs/${job.id}`);
      expect(await (await api.get("/api/account/usage")).json()).toMatchObject({ unfinished: 0 });
    } finally {
      await api.dispose();
      await adminApi.dispose();
    }
  });

  test("batch items take a runAt each", async ({ request }) => {
    const response = await request.post("/api/batches", {
      data: {
        jobs: [
          { type: "demo.steps", input: { steps: 1 }, runAt: 600 },
          { type: "demo.steps", input: { steps: 1, stepMs: 10 } },
        ],
      },
    });
    expect(response.status(), await response.text()).toBe(202);
    const batch = await response.json();
    const jobs = await (await request.get(`/api/jobs?batch=${batch.id}`)).json();
    const states = jobs.items.map((item: JobStatus) => item.state);
    expect(states).toContain("scheduled");
    await request.delete(`/api/batches/${batch.id}`);
  });

  test("a runAt in year 0, passed, ten years out, or after startBy is a 422, and writes nothing", async ({
    request,
    sql,
    owner,
  }) => {
    const before = await countJobs(sql, owner.id);
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    for (const extra of [
      { runAt: "0000-06-01T00:00:00Z" },
      { runAt: "2020-01-01T00:00:00Z" },
      { runAt: new Date(Date.now() + 10 * 366 * 86_400_000).toISOString() },
      { runAt: -5 },
      { runAt: 0 },
      { runAt: 1e308 },
      { runAt: "soon" },
      { runAt: 7_200, startBy: inAnHour },
    ]) {
      const response = await submit(request, { type: "demo.steps", input: { steps: 1 }, ...extra });
      expect(response.status(), JSON.stringify(extra)).toBe(422);
      expect(response.headers()["content-type"]).toContain("application/problem+json");
    }
    expect(await countJobs(sql, owner.id)).toBe(before);
  });
});

test.describe("concurrencyKey", () => {
  test("20 concurrent submits with one key make one job; the others answer 200 with it", async ({
    request,
    sql,
    owner,
  }) => {
    const before = await countJobs(sql, owner.id);
    const key = `export-${Date.now()}`;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        submit(request, { type: "demo.steps", input: { steps: 5, stepMs: 500 }, concurrencyKey: key }),
      ),
    );
    const statuses = responses.map((response) => response.status());
    expect(statuses.filter((status) => status === 202)).toHaveLength(1);
    expect(statuses.filter((status) => status === 200)).toHaveLength(19);
    const ids = new Set(
      await Promise.all(responses.map(async (response) => ((await response.json()) as JobStatus).id)),
    );
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    for (const response of responses) expect(response.headers().location).toBe(`/api/jobs/${id}`);
    expect(await countJobs(sql, owner.id)).toBe(before + 1);

    // Once it has finished, the key is free: the next submit makes a new job.
    await request.delete(`/api/jobs/${id}`);
    const again = await submit(request, { type: "demo.steps", input: { steps: 1 }, concurrencyKey: key });
    expect(again.status()).toBe(202);
    expect(((await again.json()) as JobStatus).id).not.toBe(id);
  });

  test("keys are each owner's own, and an over-long key is a 422", async ({ request, strangerApi }) => {
    const key = `shared-${Date.now()}`;
    const mine = await submit(request, { type: "demo.steps", input: { steps: 2 }, concurrencyKey: key });
    const theirs = await submit(strangerApi, { type: "demo.steps", input: { steps: 2 }, concurrencyKey: key });
    expect(mine.status()).toBe(202);
    expect(theirs.status()).toBe(202);
    const tooLong = await submit(request, { type: "demo.steps", input: { steps: 1 }, concurrencyKey: "k".repeat(201) });
    expect(tooLong.status()).toBe(422);
  });
});
