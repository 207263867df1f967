import { randomUUID } from "node:crypto";
import { countJobs, expect, test } from "../support/fixtures";

const submit = (request: import("@playwright/test").APIRequestContext, key: string, input: object) =>
  request.post("/api/jobs", {
    data: { type: "demo.steps", input },
    headers: { "Idempotency-Key": `"${key}"` },
  });

test.describe("Idempotency-Key on POST /api/jobs", () => {
  test("the same key and payload give the same job and the same 202, once", async ({ request, sql }) => {
    const key = randomUUID();
    const first = await submit(request, key, { steps: 1, stepMs: 0 });
    const second = await submit(request, key, { steps: 1, stepMs: 0 });

    expect(first.status()).toBe(202);
    expect(second.status()).toBe(202);
    const [a, b] = [await first.json(), await second.json()];
    expect(b.id).toBe(a.id);
    expect(second.headers().location).toBe(first.headers().location);
    expect(second.headers()["idempotent-replayed"]).toBe("true");
    expect(await sql`select 1 from idempotency_keys where key = ${key}`).toHaveLength(1);
    expect(await sql`select 1 from jobs where id = ${a.id}`).toHaveLength(1);
  });

  test("the same key with a different payload is a 422 problem", async ({ request, sql, owner }) => {
    const key = randomUUID();
    const first = await submit(request, key, { steps: 1, stepMs: 0 });
    const before = await countJobs(sql, owner.id);
    const second = await submit(request, key, { steps: 2, stepMs: 0 });

    expect(second.status()).toBe(422);
    expect(second.headers()["content-type"]).toContain("application/problem+json");
    expect(await second.json()).toMatchObject({
      type: "/problems/idempotency-key-reused",
      jobId: (await first.json()).id,
    });
    expect(await countJobs(sql, owner.id)).toBe(before);
  });

  test("concurrent requests with one key make one job", async ({ request, sql }) => {
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => submit(request, key, { steps: 1, stepMs: 0 })),
    );

    expect(responses.map((response) => response.status())).toEqual(Array(10).fill(202));
    const ids = new Set(await Promise.all(responses.map(async (response) => (await response.json()).id)));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    const queued = await sql`select 1 from jobs j join idempotency_keys k on k.job_id = j.id where k.key = ${key}`;
    expect(queued).toHaveLength(1);
    // At most one queue job too (none once it has run): its key is our job id.
    const queueJobs = await sql`select 1 from graphile_worker._private_jobs where key = ${id as string}`;
    expect(queueJobs.length).toBeLessThanOrEqual(1);
  });

  test("a bare key (as many clients send) names the same key as its quoted form", async ({ request }) => {
    const key = randomUUID();
    const quoted = await submit(request, key, { steps: 1, stepMs: 0 });
    const bare = await request.post("/api/jobs", {
      data: { type: "demo.steps", input: { steps: 1, stepMs: 0 } },
      headers: { "Idempotency-Key": key },
    });
    expect(bare.status()).toBe(202);
    expect(bare.headers()["idempotent-replayed"]).toBe("true");
    expect((await bare.json()).id).toBe((await quoted.json()).id);
  });

  test("a malformed key is a 400 problem and writes nothing", async ({ request, sql, owner }) => {
    const before = await countJobs(sql, owner.id);
    const response = await request.post("/api/jobs", {
      data: { type: "demo.steps", input: {} },
      headers: { "Idempotency-Key": '"has spaces"' },
    });
    expect(response.status()).toBe(400);
    expect(await response.json()).toMatchObject({ type: "/problems/invalid-header" });
    expect(await countJobs(sql, owner.id)).toBe(before);
  });
});
