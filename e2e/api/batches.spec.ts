import type { APIRequestContext } from "@playwright/test";
import { createApiUser } from "@/e2e/support/api-user";
import { SseClient } from "@/e2e/support/sse-client";
import type { BatchStatus } from "@/lib/jobs/batch-status";
import { baseURL, expect, type JobStatus, test } from "../support/fixtures";

type BatchResult = {
  id: string;
  size: number;
  counts: Record<string, number>;
  items: { id: string; type: string; state: string; links: { self: string; result?: string } }[];
};

const submitBatch = (request: APIRequestContext, jobs: unknown[], headers: Record<string, string> = {}) =>
  request.post("/api/batches", { data: { jobs }, headers, maxRedirects: 0 });

/** Polls the batch's monitor (?redirect=false) at its Retry-After until every job has finished. */
async function waitForBatch(request: APIRequestContext, id: string, timeoutMs = 90_000): Promise<BatchStatus[]> {
  const seen: BatchStatus[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await request.get(`/api/batches/${id}?redirect=false`);
    expect(response.status()).toBe(200);
    const batch = (await response.json()) as BatchStatus;
    seen.push(batch);
    if (batch.state === "finished") return seen;
    if (Date.now() > deadline) throw new Error(`batch ${id} still ${batch.state}`);
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(1_000, Number(response.headers()["retry-after"]) * 1_000)),
    );
  }
}

test("a batch of 1,000 over HTTP: 202, counts and progress as it runs, then 303 to every job's result", async ({
  request,
  sql,
}) => {
  test.setTimeout(180_000);
  const jobs = Array.from({ length: 1_000 }, (_, index) => ({
    type: "demo.steps",
    input: { steps: 1, stepMs: index % 2 },
  }));
  const accepted = await submitBatch(request, jobs);
  expect(accepted.status(), await accepted.text()).toBe(202);
  const batch = (await accepted.json()) as BatchStatus;
  expect(accepted.headers().location).toBe(`/api/batches/${batch.id}`);
  expect(Number(accepted.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
  expect(batch).toMatchObject({ size: 1_000, links: { jobs: `/api/jobs?batch=${batch.id}` } });
  expect(Object.values(batch.counts).reduce((sum, n) => sum + n, 0)).toBe(1_000);
  const [rows] = await sql`select count(*)::int as n from jobs where batch_id = ${batch.id}`;
  expect(rows?.n).toBe(1_000);

  const seen = await waitForBatch(request, batch.id);
  const progress = seen.map((status) => status.progress);
  expect(progress).toEqual([...progress].sort((a, b) => a - b)); // never backwards
  expect(seen.at(-1)).toMatchObject({ state: "finished", progress: 100, counts: { succeeded: 1_000 } });
  expect(seen.some((status) => status.state === "running" && status.estimatedCompletionAt !== null)).toBe(true);

  const monitor = await request.get(`/api/batches/${batch.id}`, { maxRedirects: 0 });
  expect(monitor.status()).toBe(303);
  expect(monitor.headers().location).toBe(`/api/batches/${batch.id}/result`);
  const result = (await (await request.get(monitor.headers().location as string)).json()) as BatchResult;
  expect(result.items).toHaveLength(1_000);
  expect(result.items.every((item) => item.state === "succeeded" && item.links.result)).toBe(true);
  // In the order they were sent, and each an ordinary job of its own.
  const [firstId] = (await sql`select id from jobs where batch_id = ${batch.id} order by priority limit 1`).map(
    (row) => row.id as string,
  );
  expect(result.items[0]?.id).toBe(firstId);
  const item = (await (await request.get(`/api/jobs/${firstId}?redirect=false`)).json()) as JobStatus;
  expect(item).toMatchObject({
    batchId: batch.id,
    input: { steps: 1, stepMs: 0 },
    links: { batch: `/api/batches/${batch.id}` },
  });
  const listed = (await (await request.get(`/api/jobs?batch=${batch.id}&limit=5`)).json()) as { items: JobStatus[] };
  expect(listed.items.every((job) => job.batchId === batch.id)).toBe(true);
});

test("a batch with two bad items is a 422 naming both, and writes nothing", async ({ request, owner, sql }) => {
  const count = async () =>
    (
      await sql`select (select count(*) from jobs where owner_id = ${owner.id})::int as jobs,
        (select count(*) from batches where owner_id = ${owner.id})::int as batches`
    )[0];
  const before = await count();
  const jobs: { type: string; input: Record<string, unknown> }[] = Array.from({ length: 10 }, () => ({
    type: "demo.steps",
    input: { steps: 1 },
  }));
  jobs[3] = { type: "demo.steps", input: { steps: "ten" } };
  jobs[7] = { type: "no.such.type", input: {} };
  const refused = await submitBatch(request, jobs);
  expect(refused.status()).toBe(422);
  const problem = await refused.json();
  expect(problem.detail).toContain("2 of the 10 jobs are not valid");
  const paths = (problem.errors as { path: unknown[] }[]).map((issue) => issue.path);
  expect(paths).toEqual(
    expect.arrayContaining([
      ["jobs", 3, "input", "steps"],
      ["jobs", 7, "type"],
    ]),
  );
  expect(paths.every((path) => path[1] === 3 || path[1] === 7)).toBe(true);
  for (const body of [
    { jobs: [] },
    { jobs: Array.from({ length: 1_001 }, () => jobs[0]) },
    { jobs: jobs.slice(0, 1), x: 1 },
  ]) {
    expect((await request.post("/api/batches", { data: body })).status()).toBe(422);
  }
  expect(await count()).toEqual(before);
});

test("cancelling a batch half way cancels what has not finished and leaves the rest", async ({ request, sql }) => {
  test.setTimeout(60_000);
  const accepted = await submitBatch(
    request,
    Array.from({ length: 20 }, () => ({ type: "demo.steps", input: { steps: 2, stepMs: 400 } })),
  );
  const batch = (await accepted.json()) as BatchStatus;
  await expect
    .poll(
      async () =>
        ((await (await request.get(`/api/batches/${batch.id}?redirect=false`)).json()) as BatchStatus).counts.succeeded,
      {
        timeout: 30_000,
      },
    )
    .toBeGreaterThan(0);
  const cancelled = await request.delete(`/api/batches/${batch.id}`);
  expect(cancelled.status()).toBe(200);
  const after = (await cancelled.json()) as BatchStatus;
  expect(after.counts.cancelled).toBeGreaterThan(0);
  expect(after.counts.succeeded).toBeGreaterThan(0);
  await expect
    .poll(
      async () => ((await (await request.get(`/api/batches/${batch.id}?redirect=false`)).json()) as BatchStatus).state,
      {
        timeout: 10_000,
      },
    )
    .toBe("finished");
  const [left] = await sql`
    select count(*)::int as n from graphile_worker._private_jobs
    where key in (select id::text from jobs where batch_id = ${batch.id} and state = 'cancelled')`;
  expect(left?.n).toBe(0);
  // Cancelling again changes nothing and is harmless.
  expect((await request.delete(`/api/batches/${batch.id}`)).status()).toBe(200);
});

test("someone else's batch is a 404 on every resource", async ({ request, strangerApi }) => {
  const batch = (await (
    await submitBatch(request, [{ type: "demo.steps", input: { steps: 1, stepMs: 0 } }])
  ).json()) as BatchStatus;
  for (const path of ["", "/result", "/events"]) {
    expect((await strangerApi.get(`/api/batches/${batch.id}${path}`)).status(), path).toBe(404);
  }
  expect((await strangerApi.delete(`/api/batches/${batch.id}`)).status()).toBe(404);
  const theirs = (await (await strangerApi.get("/api/batches")).json()) as { items: BatchStatus[] };
  expect(theirs.items.map((item) => item.id)).not.toContain(batch.id);
});

test("a batch is followed by SSE and by long polling, like a job", async ({ request, owner }) => {
  test.setTimeout(60_000);
  const batch = (await (
    await submitBatch(
      request,
      Array.from({ length: 6 }, () => ({ type: "demo.steps", input: { steps: 2, stepMs: 300 } })),
    )
  ).json()) as BatchStatus;
  const polled = await request.get(`/api/batches/${batch.id}`, {
    headers: { "If-None-Match": `W/"${batch.version}"`, Prefer: "wait=20" },
    maxRedirects: 0,
  });
  expect([200, 303]).toContain(polled.status());
  expect(((await polled.json()) as BatchStatus).version).toBeGreaterThan(batch.version);

  const stream = await SseClient.open(`${baseURL}/api/batches/${batch.id}/events`, owner.headers);
  await stream.done; // closes once every job has finished
  const events = stream.events
    .filter((event) => event.event === "batch")
    .map((event) => JSON.parse(event.data) as BatchStatus);
  expect(events.at(-1)).toMatchObject({ state: "finished", counts: { succeeded: 6 } });
  const versions = events.map((event) => event.version);
  expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
});

test("a batch must fit under the cap as a whole, and an Idempotency-Key makes one batch of two sends", async ({
  admin,
  playwright,
  sql,
}) => {
  const user = await createApiUser(baseURL, "batcher");
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: user.headers });
  const adminApi = await playwright.request.newContext({ baseURL, extraHTTPHeaders: admin.headers });
  try {
    await adminApi.put(`/api/admin/users/${user.id}/job-cap`, { data: { maxUnfinishedJobs: 5 } });
    const jobs = (n: number) =>
      Array.from({ length: n }, () => ({ type: "demo.steps", input: { steps: 20, stepMs: 1_000 } }));
    const tooMany = await submitBatch(api, jobs(6));
    expect(tooMany.status()).toBe(429);
    expect(await tooMany.json()).toMatchObject({ cap: 5, unfinished: 0, type: "/problems/too-many-unfinished-jobs" });
    expect((await sql`select count(*)::int as n from jobs where owner_id = ${user.id}`)[0]?.n).toBe(0);

    const key = { "Idempotency-Key": '"batch-once"' };
    const first = await submitBatch(api, jobs(3), key);
    const again = await submitBatch(api, jobs(3), key);
    expect(first.status()).toBe(202);
    expect(again.status()).toBe(202);
    expect(again.headers()["idempotent-replayed"]).toBe("true");
    expect(((await again.json()) as BatchStatus).id).toBe(((await first.json()) as BatchStatus).id);
    expect((await sql`select count(*)::int as n from jobs where owner_id = ${user.id}`)[0]?.n).toBe(3);
    expect((await submitBatch(api, jobs(2), key)).status()).toBe(422); // the same key, another batch
    await api.delete(`/api/batches/${((await first.json()) as BatchStatus).id}`);
  } finally {
    await api.dispose();
    await adminApi.dispose();
  }
});

test("a batch of hundreds from one user does not hold another user's single job back", async ({
  jobsApi,
  sql,
  playwright,
}) => {
  test.setTimeout(120_000);
  const batcher = await createApiUser(baseURL, "big-batch");
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: batcher.headers });
  try {
    const accepted = await submitBatch(
      api,
      Array.from({ length: 400 }, () => ({ type: "demo.steps", input: { steps: 1, stepMs: 1_000 } })),
    );
    expect(accepted.status()).toBe(202);
    const batch = (await accepted.json()) as BatchStatus;
    const mine = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 100 });
    await jobsApi.waitForState(mine.id, ["running", "succeeded"], 20_000);
    const [timing] =
      await sql`select extract(epoch from started_at - created_at)::float8 as wait from jobs where id = ${mine.id}`;
    const [backlog] = await sql`select count(*)::int as n from jobs where batch_id = ${batch.id} and state = 'queued'`;
    console.log(
      `a single job started ${timing?.wait.toFixed(2)} s after submit, with ${backlog?.n} of a batch still queued`,
    );
    expect(timing?.wait).toBeLessThan(5);
    expect(backlog?.n).toBeGreaterThan(300);
    await api.delete(`/api/batches/${batch.id}`);
  } finally {
    await api.dispose();
  }
});
