import { expect, type JobStatus, test } from "../support/fixtures";

test.describe("GET /api/jobs", () => {
  test("lists newest first and pages through every job with the cursor", async ({ jobsApi, request }) => {
    const submitted: string[] = [];
    for (let i = 0; i < 5; i++)
      submitted.push((await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 })).id);

    const first = await request.get("/api/jobs?type=demo.steps&limit=2");
    expect(first.status()).toBe(200);
    const page = (await first.json()) as { items: JobStatus[]; links: { next: string | null } };
    expect(page.items.map((job) => job.id)).toEqual(submitted.slice(-2).reverse());
    expect(page.links.next).toMatch(/^\/api\/jobs\?type=demo.steps&limit=2&cursor=/);
    expect(first.headers().link).toBe(`<${page.links.next}>; rel="next"`);

    // Walking every page visits each job once, in order.
    const seen: JobStatus[] = [];
    let next: string | null = "/api/jobs?type=demo.steps&limit=2";
    while (next) {
      const body = (await (await request.get(next)).json()) as typeof page;
      seen.push(...body.items);
      next = body.links.next;
    }
    const ids = seen.map((job) => job.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, 5)).toEqual([...submitted].reverse());
    const times = seen.map((job) => job.createdAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  test("filters by state and type", async ({ jobsApi, request }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
    await jobsApi.waitForState(job.id, ["succeeded"]);

    const succeeded = await (await request.get("/api/jobs?state=succeeded&limit=100")).json();
    expect(succeeded.items.length).toBeGreaterThan(0);
    expect(succeeded.items.every((item: JobStatus) => item.state === "succeeded")).toBe(true);
    expect(succeeded.items.map((item: JobStatus) => item.id)).toContain(job.id);

    const either = await (await request.get("/api/jobs?state=queued,running&type=demo.steps")).json();
    expect(either.items.every((item: JobStatus) => ["queued", "running"].includes(item.state))).toBe(true);
    expect(either.items.map((item: JobStatus) => item.id)).not.toContain(job.id);

    const exports = await (await request.get("/api/jobs?type=jobs.export")).json();
    expect(exports.items.every((item: JobStatus) => item.type === "jobs.export")).toBe(true);
  });

  test("asks clients to come back while jobs are in progress", async ({ jobsApi, request }) => {
    await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 2_000 });
    const response = await request.get("/api/jobs?state=queued,running");
    expect(Number(response.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
  });

  test("rejects a bad state, limit or cursor with a 422 problem", async ({ request }) => {
    for (const query of ["state=done", "limit=0", "limit=1000", "cursor=garbage", "state="]) {
      const response = await request.get(`/api/jobs?${query}`);
      expect(response.status(), query).toBe(422);
      expect(response.headers()["content-type"]).toContain("application/problem+json");
      expect((await response.json()).type).toBe("/problems/invalid-request");
    }
  });
});
