import { randomUUID } from "node:crypto";
import { expect, test } from "../support/fixtures";

const queueJobs = (sql: import("postgres").Sql, id: string) =>
  sql`select locked_at from graphile_worker._private_jobs where key = ${id}`;

test.describe("DELETE /api/jobs/{id}", () => {
  test("stops a running job within a second and records who cancelled it", async ({ jobsApi, request, sql, owner }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 20, stepMs: 500 });
    await jobsApi.waitForState(job.id, ["running"]);

    const response = await request.delete(`/api/jobs/${job.id}`);
    const cancelledAt = Date.now();
    expect(response.status()).toBe(200);
    expect(await response.json()).toMatchObject({ state: "cancelled", cancelledBy: owner.email, message: "Cancelled" });

    // The handler noticed: graphile-worker's job is gone once it returns.
    await expect.poll(async () => (await queueJobs(sql, job.id)).length, { timeout: 1_000, intervals: [50] }).toBe(0);
    expect(Date.now() - cancelledAt).toBeLessThan(1_000);
    const [row] = await sql`select state, cancelled_at, finished_at, progress from jobs where id = ${job.id}`;
    expect(row?.state).toBe("cancelled");
    expect(row?.cancelled_at).not.toBeNull();
    expect(row?.progress).toBeLessThan(100);

    // And nothing moved it on afterwards.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = await (await jobsApi.status(job.id)).json();
    expect(after).toMatchObject({ state: "cancelled", progress: row?.progress });
  });

  test("removes a queued job from the queue at once", async ({ jobsApi, request, sql }) => {
    // Four long jobs fill the worker (concurrency 4), so a fifth waits.
    const busy = await Promise.all(
      Array.from({ length: 4 }, () => jobsApi.submitAccepted("demo.steps", { steps: 10, stepMs: 1_000 })),
    );
    const waiting = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
    try {
      await Promise.all(busy.map((job) => jobsApi.waitForState(job.id, ["running"])));
      expect((await (await jobsApi.status(waiting.id)).json()).state).toBe("queued");
      expect(await queueJobs(sql, waiting.id)).toHaveLength(1);

      const response = await request.delete(`/api/jobs/${waiting.id}`);
      expect(response.status()).toBe(200);
      expect(await queueJobs(sql, waiting.id)).toHaveLength(0);
      expect((await (await jobsApi.status(waiting.id)).json()).state).toBe("cancelled");
    } finally {
      await Promise.all(busy.map((job) => request.delete(`/api/jobs/${job.id}`)));
    }
  });

  test("twice is harmless; a finished job is a 409 problem; an unknown one a 404", async ({ jobsApi, request }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 5, stepMs: 500 });
    expect((await request.delete(`/api/jobs/${job.id}`)).status()).toBe(200);
    const again = await request.delete(`/api/jobs/${job.id}`);
    expect(again.status()).toBe(200);
    expect((await again.json()).state).toBe("cancelled");

    const done = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
    await jobsApi.waitForState(done.id, ["succeeded"]);
    const conflict = await request.delete(`/api/jobs/${done.id}`);
    expect(conflict.status()).toBe(409);
    expect(conflict.headers()["content-type"]).toContain("application/problem+json");
    expect(await conflict.json()).toMatchObject({ type: "/problems/job-state-conflict", state: "succeeded" });

    expect((await request.delete(`/api/jobs/${randomUUID()}`)).status()).toBe(404);
  });
});

test.describe("POST /api/jobs/{id}/retry", () => {
  test("runs a failed job again as new attempts of the same job", async ({ jobsApi, request, sql }) => {
    test.slow();
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 2, stepMs: 10, failAtStep: 1 });
    await jobsApi.waitForState(job.id, ["failed"], 60_000);

    const response = await request.post(`/api/jobs/${job.id}/retry`);
    expect(response.status()).toBe(202);
    expect(response.headers().location).toBe(`/api/jobs/${job.id}`);
    expect(await response.json()).toMatchObject({ id: job.id, state: "queued", error: null, maxAttempts: 6 });

    // The new round's backoff starts over too: its first retry is seconds away, not minutes.
    await expect
      .poll(
        async () => {
          const status = await (await jobsApi.status(job.id, { redirect: false })).json();
          return status.state === "queued" && status.attempts === 4 ? Date.parse(status.retryAt) - Date.now() : null;
        },
        { timeout: 30_000, intervals: [200] },
      )
      .toBeLessThan(10_000);

    const again = await jobsApi.waitForState(job.id, ["failed"], 60_000);
    expect(again.attempts).toBe(6);
    expect(again.attemptErrors.map((error) => error.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await sql`select 1 from jobs where id = ${job.id}`).toHaveLength(1);
  });

  test("of a job that has not failed is a 409 problem", async ({ jobsApi, request }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
    await jobsApi.waitForState(job.id, ["succeeded"]);
    const response = await request.post(`/api/jobs/${job.id}/retry`);
    expect(response.status()).toBe(409);
    expect(await response.json()).toMatchObject({ type: "/problems/job-state-conflict" });
  });
});
