import { randomUUID } from "node:crypto";
import type { APIRequestContext, APIResponse } from "@playwright/test";
import { SseClient } from "@/e2e/support/sse-client";
import { baseURL, expect, type JobStatus, test } from "../support/fixtures";

/** Every job route, as a client would call it for the job `id`. */
const jobRoutes: { name: string; call: (api: APIRequestContext, id: string) => Promise<APIResponse> }[] = [
  { name: "GET status", call: (api, id) => api.get(`/api/jobs/${id}`, { maxRedirects: 0 }) },
  {
    name: "GET status, long poll",
    call: (api, id) =>
      api.get(`/api/jobs/${id}`, { maxRedirects: 0, headers: { "If-None-Match": 'W/"1"', Prefer: "wait=1" } }),
  },
  { name: "GET result", call: (api, id) => api.get(`/api/jobs/${id}/result`) },
  { name: "GET events", call: (api, id) => api.get(`/api/jobs/${id}/events`, { timeout: 5_000 }) },
  { name: "DELETE (cancel)", call: (api, id) => api.delete(`/api/jobs/${id}`) },
  { name: "POST retry", call: (api, id) => api.post(`/api/jobs/${id}/retry`) },
];

const expectProblem = async (response: APIResponse, status: number) => {
  expect(response.status()).toBe(status);
  expect(response.headers()["content-type"]).toContain("application/problem+json");
  return (await response.json()) as { type: string; status: number; detail?: string };
};

test.describe("without credentials", () => {
  const collectionRoutes = [
    { name: "GET /api/jobs", call: (api: APIRequestContext) => api.get("/api/jobs") },
    {
      name: "POST /api/jobs",
      call: (api: APIRequestContext) => api.post("/api/jobs", { data: { type: "demo.steps", input: {} } }),
    },
    { name: "GET /api/events", call: (api: APIRequestContext) => api.get("/api/events") },
  ];
  for (const route of collectionRoutes) {
    test(`${route.name} is a 401 problem naming the Bearer scheme`, async ({ anonymous }) => {
      const response = await route.call(anonymous);
      const problem = await expectProblem(response, 401);
      expect(problem.type).toBe("/problems/unauthenticated");
      expect(response.headers()["www-authenticate"]).toBe('Bearer realm="accepted"');
    });
  }

  for (const route of jobRoutes) {
    test(`${route.name} of a real job is a 401 problem`, async ({ anonymous, jobsApi }) => {
      const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
      await expectProblem(await route.call(anonymous, job.id), 401);
    });
  }

  test("a forged or malformed token is a 401 problem, not a 500", async ({ playwright }) => {
    for (const authorization of [
      "Bearer acc_forged0000000000000000000000000000000000",
      "Bearer x",
      "Basic Zm9vOmJhcg==",
    ]) {
      const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: authorization } });
      try {
        await expectProblem(await api.get("/api/jobs"), 401);
      } finally {
        await api.dispose();
      }
    }
  });
});

test.describe("someone else's job", () => {
  for (const route of jobRoutes) {
    test(`${route.name} answers 404, exactly as for a job that does not exist`, async ({ jobsApi, strangerApi }) => {
      const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
      await jobsApi.waitForState(job.id, ["succeeded"]);
      const theirs = await expectProblem(await route.call(strangerApi, job.id), 404);
      const missingId = randomUUID();
      const missing = await expectProblem(await route.call(strangerApi, missingId), 404);
      // Nothing in the answer tells the two apart.
      expect({ ...theirs, detail: theirs.detail?.replace(job.id, "ID") }).toEqual({
        ...missing,
        detail: missing.detail?.replace(missingId, "ID"),
      });
    });
  }

  test("a stranger's cancel leaves the job running; the owner's own cancel works", async ({
    jobsApi,
    strangerApi,
    request,
    sql,
  }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 20, stepMs: 200 });
    expect((await strangerApi.delete(`/api/jobs/${job.id}`)).status()).toBe(404);
    const [row] = await sql`select state, cancelled_by from jobs where id = ${job.id}`;
    expect(row?.state).not.toBe("cancelled");
    expect((await request.delete(`/api/jobs/${job.id}`)).status()).toBe(200);
    const [after] = await sql`select state, cancelled_by from jobs where id = ${job.id}`;
    expect(after).toMatchObject({ state: "cancelled" });
  });

  test("is not in the stranger's list, and the owner's list holds only the owner's jobs", async ({
    jobsApi,
    strangerApi,
    request,
    owner,
    sql,
  }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
    const theirs = (await (await strangerApi.get("/api/jobs?limit=100")).json()) as { items: JobStatus[] };
    expect(theirs.items.map((item) => item.id)).not.toContain(job.id);

    const mine = (await (await request.get("/api/jobs?limit=100")).json()) as { items: JobStatus[] };
    expect(mine.items.map((item) => item.id)).toContain(job.id);
    const owners =
      await sql`select distinct owner_id from jobs where id = any(${mine.items.map((item) => item.id)}::uuid[])`;
    expect(owners.map((row) => row.owner_id)).toEqual([owner.id]);
  });

  test("never reaches the stranger's event stream", async ({ jobsApi, stranger, owner }) => {
    const theirs = await SseClient.open(`${baseURL}/api/events`, stranger.headers);
    const mine = await SseClient.open(`${baseURL}/api/events`, owner.headers);
    try {
      const job = await jobsApi.submitAccepted("demo.steps", { steps: 2, stepMs: 100 });
      await mine.waitFor(() => mine.jobs(job.id).some((event) => event.state === "succeeded"));
      expect(theirs.jobs(job.id)).toEqual([]);
      // An admin-only view of every job is not open to them either.
      const all = await SseClient.open(`${baseURL}/api/events?scope=all`, stranger.headers);
      expect(all.response.status).toBe(404);
      all.close();
    } finally {
      theirs.close();
      mine.close();
    }
  });

  test("an Idempotency-Key is the owner's: the same key from two users makes two jobs", async ({
    request,
    strangerApi,
  }) => {
    const key = randomUUID();
    const send = (api: APIRequestContext) =>
      api.post("/api/jobs", {
        data: { type: "demo.steps", input: { steps: 1 } },
        headers: { "Idempotency-Key": `"${key}"` },
      });
    const first = await send(request);
    const second = await send(strangerApi);
    expect(first.status()).toBe(202);
    expect(second.status()).toBe(202);
    expect(second.headers()["idempotent-replayed"]).toBeUndefined();
    expect((await second.json()).id).not.toBe((await first.json()).id);
  });
});

test.describe("admins", () => {
  test("read and cancel anyone's job; the cancel names them and is audited", async ({
    jobsApi,
    admin,
    playwright,
    sql,
  }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 30, stepMs: 200 });
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: admin.headers });
    try {
      expect((await api.get(`/api/jobs/${job.id}?redirect=false`)).status()).toBe(200);
      const cancelled = await api.delete(`/api/jobs/${job.id}`);
      expect(cancelled.status()).toBe(200);
      expect(await cancelled.json()).toMatchObject({ state: "cancelled", cancelledBy: admin.email });
      const audit = await sql`select action, actor_email from audit_log where ${job.id}::uuid = any(job_ids)`;
      expect(audit).toEqual([{ action: "cancel", actor_email: admin.email }]);
      // Their own dashboard list is still theirs alone.
      const list = (await (await api.get("/api/jobs?limit=100")).json()) as { items: JobStatus[] };
      expect(list.items.map((item) => item.id)).not.toContain(job.id);
    } finally {
      await api.dispose();
    }
  });

  test("an owner's own cancel is not an admin action, so it is not audited", async ({ jobsApi, request, sql }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 30, stepMs: 200 });
    expect((await request.delete(`/api/jobs/${job.id}`)).status()).toBe(200);
    expect(await sql`select 1 from audit_log where ${job.id}::uuid = any(job_ids)`).toHaveLength(0);
  });
});

test.describe("API tokens", () => {
  test("a token created by a signed-in user acts as them until it is revoked", async ({ owner, playwright }) => {
    const asBrowser = { Cookie: owner.cookie, Origin: baseURL };
    const session = await playwright.request.newContext({ baseURL, extraHTTPHeaders: asBrowser });
    try {
      const created = await session.post("/api/auth/api-key/create", { data: { name: "short-lived" } });
      expect(created.status()).toBe(200);
      const { key, id } = (await created.json()) as { key: string; id: string };
      expect(key).toMatch(/^acc_/);

      const withToken = (token: string) =>
        playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
      const client = await withToken(key);
      try {
        expect((await client.post("/api/jobs", { data: { type: "demo.steps", input: { steps: 1 } } })).status()).toBe(
          202,
        );
        expect((await session.post("/api/auth/api-key/delete", { data: { keyId: id } })).status()).toBe(200);
        await expectProblem(await client.get("/api/jobs"), 401);
      } finally {
        await client.dispose();
      }
    } finally {
      await session.dispose();
    }
  });

  test("internal job types cannot be submitted by clients", async ({ request }) => {
    const response = await request.post("/api/jobs", { data: { type: "admin.bulk", input: { action: "cancel" } } });
    const problem = await expectProblem(response, 422);
    expect(problem.type).toBe("/problems/unknown-job-type");
  });
});
