import { SseClient } from "@/e2e/support/sse-client";
import { baseURL, expect, test } from "../support/fixtures";

const isFinal = (state: string) => ["succeeded", "failed", "cancelled"].includes(state);

test.describe("GET /api/jobs/{id}/events", () => {
  test("streams each change with its version as id, ends with the final state and closes", async ({
    jobsApi,
    owner,
  }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 3, stepMs: 400 });
    const stream = await SseClient.open(`${baseURL}/api/jobs/${job.id}/events`, owner.headers);

    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(stream.response.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(stream.response.headers.get("x-accel-buffering")).toBe("no");

    await stream.done; // the server closes the stream after the final state
    expect(stream.closedByServer).toBe(true);
    const events = stream.jobs();
    expect(events.at(-1)).toMatchObject({ state: "succeeded", progress: 100 });
    const versions = events.map((event) => event.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(stream.events.map((event) => event.id)).toEqual(versions.map(String));
    expect(events.map((event) => event.progress)).toEqual(expect.arrayContaining([33, 67, 100]));
  });

  test("Last-Event-ID resumes: a client that has the final state gets nothing more", async ({ jobsApi, owner }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
    const done = await jobsApi.waitForState(job.id, ["succeeded"]);

    const upToDate = await SseClient.open(`${baseURL}/api/jobs/${job.id}/events`, {
      ...owner.headers,
      "Last-Event-ID": String(done.version),
    });
    await upToDate.done;
    expect(upToDate.jobs()).toEqual([]);

    const behind = await SseClient.open(`${baseURL}/api/jobs/${job.id}/events`, {
      ...owner.headers,
      "Last-Event-ID": String(done.version - 1),
    });
    await behind.done;
    expect(behind.jobs()).toEqual([expect.objectContaining({ version: done.version, state: "succeeded" })]);
  });

  test("of an unknown job is a 404 problem", async ({ request }) => {
    const response = await request.get("/api/jobs/00000000-0000-4000-8000-000000000000/events");
    expect(response.status()).toBe(404);
    expect(response.headers()["content-type"]).toContain("application/problem+json");
  });
});

test.describe("GET /api/events", () => {
  test("streams the changes of jobs submitted after it opened", async ({ jobsApi, owner }) => {
    const stream = await SseClient.open(`${baseURL}/api/events`, owner.headers);
    try {
      const job = await jobsApi.submitAccepted("demo.steps", { steps: 2, stepMs: 200 });
      await stream.waitFor(() => stream.jobs(job.id).some((event) => isFinal(event.state)));

      // Each event is the row as read after the change's NOTIFY, so a version
      // superseded before that read is skipped; order and the end never are.
      const events = stream.jobs(job.id);
      expect(events.at(-1)).toMatchObject({ state: "succeeded" });
      const versions = events.map((event) => event.version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
    } finally {
      stream.close();
    }
  });

  test("Last-Event-ID replays what changed since then", async ({ jobsApi, owner }) => {
    const since = Date.now();
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
    await jobsApi.waitForState(job.id, ["succeeded"]);

    const stream = await SseClient.open(`${baseURL}/api/events`, { ...owner.headers, "Last-Event-ID": String(since) });
    try {
      await stream.waitFor(() => stream.jobs(job.id).some((event) => event.state === "succeeded"));
    } finally {
      stream.close();
    }
  });

  test("keeps streaming after its LISTEN connection is cut, as after a database restart", async ({
    jobsApi,
    sql,
    owner,
  }) => {
    const stream = await SseClient.open(`${baseURL}/api/events`, owner.headers);
    try {
      const cut = await sql`
        select pg_terminate_backend(pid) as cut from pg_stat_activity
        where query ~* '^listen\\s+"?job_(changes|logs)' and pid <> pg_backend_pid()`;
      expect(cut.length).toBeGreaterThan(0);

      // postgres.js reconnects by itself; a change after that reaches the stream.
      await expect
        .poll(
          async () =>
            (await sql`select 1 from pg_stat_activity where query ~* '^listen\\s+"?job_(changes|logs)'`).length,
          {
            timeout: 15_000,
          },
        )
        .toBeGreaterThan(0);
      const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 100 });
      await stream.waitFor(() => stream.jobs(job.id).some((event) => event.state === "succeeded"));
    } finally {
      stream.close();
    }
  });

  test("many subscribers in one process share one LISTEN connection", async ({ sql, owner }) => {
    const streams = await Promise.all(
      Array.from({ length: 5 }, () => SseClient.open(`${baseURL}/api/events`, owner.headers)),
    );
    try {
      const listeners = await sql`select pid from pg_stat_activity
        where application_name = 'accepted-web' and datname = current_database()
          and query ~* '^listen\\s+"?job_(changes|logs)'`;
      expect(listeners).toHaveLength(1); // one web process in this stack
    } finally {
      for (const stream of streams) stream.close();
    }
  });
});

test.describe("long polling the status monitor", () => {
  test("If-None-Match with the current version is 304 Not Modified", async ({ jobsApi, request }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
    const done = await jobsApi.waitForState(job.id, ["succeeded"]);
    const response = await request.get(`/api/jobs/${job.id}`, {
      headers: { "If-None-Match": `W/"${done.version}"` },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(304);
    expect(response.headers().etag).toBe(`W/"${done.version}"`);
  });

  test("Prefer: wait answers as soon as the job changes", async ({ jobsApi, request }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 1_500 });
    const running = await jobsApi.waitForState(job.id, ["running"]);

    const response = await request.get(`/api/jobs/${job.id}?redirect=false`, {
      headers: { "If-None-Match": `W/"${running.version}"`, Prefer: "wait=30" },
    });
    expect(response.status()).toBe(200);
    const changed = await response.json();
    expect(changed.version).toBeGreaterThan(running.version);
    expect(response.headers().etag).toBe(`W/"${changed.version}"`);
  });

  test("Prefer: wait ends in 304 when nothing changes", async ({ jobsApi, request }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
    const done = await jobsApi.waitForState(job.id, ["succeeded"]);
    const response = await request.get(`/api/jobs/${job.id}`, {
      headers: { "If-None-Match": `W/"${done.version}"`, Prefer: "wait=1" },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(304);
    expect(response.headers()["preference-applied"]).toBe("wait=1");
  });
});
