import { randomUUID } from "node:crypto";
import { expect, test } from "../support/fixtures";

test.describe("GET /api/jobs/{id}, the status monitor", () => {
  test("reports progress while running, then sends the client to the result with 303", async ({ jobsApi, request }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 4, stepMs: 700 });

    const running = await jobsApi.waitForState(job.id, ["running"]);
    expect(running.startedAt).not.toBeNull();
    expect(running.attempts).toBe(1);

    // Follow it as a client would, until the monitor stops answering 200.
    const seen: number[] = [];
    let response = await jobsApi.status(job.id);
    while (response.status() === 200) {
      const body = await response.json();
      expect(["queued", "running"]).toContain(body.state);
      expect(Number(response.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
      seen.push(body.progress);
      if (body.progress > 0) expect(body.message).toMatch(/^Step \d of 4$/);
      if (body.progress > 0 && body.progress < 100) expect(body.estimatedCompletionAt).not.toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 300));
      response = await jobsApi.status(job.id);
    }
    expect(seen.some((progress) => progress > 0 && progress < 100)).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    expect(response.status()).toBe(303);
    expect(response.headers().location).toBe(`/api/jobs/${job.id}/result`);
    expect(response.headers()["retry-after"]).toBeUndefined();

    const result = await request.get(response.headers().location as string);
    expect(result.status()).toBe(200);
    expect(await result.json()).toMatchObject({ steps: 4 });
  });

  test("?redirect=false answers 200 with the final representation instead of the 303", async ({ jobsApi }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 10 });
    const done = await jobsApi.waitForState(job.id, ["succeeded"]);

    expect(done).toMatchObject({
      state: "succeeded",
      progress: 100,
      message: "Step 1 of 1",
      result: { kind: "json" },
      links: { self: `/api/jobs/${job.id}`, result: `/api/jobs/${job.id}/result` },
    });
    expect(done.finishedAt).not.toBeNull();
    expect(done.estimatedCompletionAt).toBeNull();
  });

  test("a job that fails every attempt ends failed, with each attempt's error kept", async ({ jobsApi, sql }) => {
    test.slow(); // graphile-worker's backoff between the three attempts is about 10 s
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 3, stepMs: 50, failAtStep: 2 });
    const failed = await jobsApi.waitForState(job.id, ["failed"], 60_000);

    expect(failed.attempts).toBe(3);
    expect(failed.attemptErrors.map((error) => error.attempt)).toEqual([1, 2, 3]);
    expect(failed.attemptErrors[0]?.message).toBe("Step 2 of 3 failed (failAtStep was 2)");

    const response = await jobsApi.status(job.id);
    expect(response.status()).toBe(500);
    expect(response.headers()["content-type"]).toContain("application/problem+json");
    expect(await response.json()).toMatchObject({
      type: "/problems/job-failed",
      title: "The job failed",
      status: 500,
      detail: "Step 2 of 3 failed (failAtStep was 2)",
      instance: `/api/jobs/${job.id}`,
      jobId: job.id,
      state: "failed",
      attempts: 3,
    });

    // graphile-worker's job is gone: our row is the record of the failure.
    expect(await sql`select 1 from graphile_worker._private_jobs where payload->>'jobId' = ${job.id}`).toHaveLength(0);
  });

  test("an unknown or malformed id is a 404 problem", async ({ jobsApi }) => {
    for (const id of [randomUUID(), "not-a-uuid", "1%27%20or%201%3D1"]) {
      const response = await jobsApi.status(id);
      expect(response.status(), id).toBe(404);
      expect(response.headers()["content-type"]).toContain("application/problem+json");
      expect(await response.json()).toMatchObject({ type: "/problems/not-found", status: 404 });
    }
  });
});

test.describe("GET /api/jobs/{id}/result", () => {
  test("before success is a 409 problem that points back at the monitor", async ({ jobsApi, request }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 3_000 });
    const response = await request.get(`/api/jobs/${job.id}/result`);

    expect(response.status()).toBe(409);
    expect(response.headers()["content-type"]).toContain("application/problem+json");
    expect(response.headers().link).toBe(`</api/jobs/${job.id}>; rel="monitor"`);
    expect(await response.json()).toMatchObject({ type: "/problems/result-not-available", jobId: job.id });
  });

  test("of an unknown job is a 404 problem", async ({ request }) => {
    const response = await request.get(`/api/jobs/${randomUUID()}/result`);
    expect(response.status()).toBe(404);
    expect(response.headers()["content-type"]).toContain("application/problem+json");
  });

  test("of an export is a CSV download of the job history", async ({ jobsApi, request }) => {
    const marker = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
    await jobsApi.waitForState(marker.id, ["succeeded"]);

    const exportJob = await jobsApi.submitAccepted("jobs.export", { type: "demo.steps", state: "succeeded" });
    await jobsApi.waitForState(exportJob.id, ["succeeded"]);
    const response = await request.get(`/api/jobs/${exportJob.id}/result`);

    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.headers()["content-disposition"]).toBe(`attachment; filename="jobs-export-${exportJob.id}.csv"`);
    const lines = (await response.text()).trim().split("\n");
    expect(lines[0]).toBe("id,type,state,progress,message,attempts,created_at,started_at,finished_at,error");
    expect(lines.some((line) => line.startsWith(`${marker.id},demo.steps,succeeded,100,`))).toBe(true);
    expect(lines.slice(1).every((line) => line.split(",")[2] === "succeeded")).toBe(true);
  });
});
