import { expect, test } from "../support/fixtures";
import { SseClient } from "../support/sse-client";
import { SocketClient } from "../support/ws-client";

const baseUrl = process.env.BASE_URL ?? "http://localhost:3000";

/** A token made by the job's owner; returns it with the headers that carry it. */
async function tokenFor(request: import("@playwright/test").APIRequestContext, jobId: string, data?: object) {
  const response = await request.post(`/api/jobs/${jobId}/tokens`, data ? { data } : {});
  expect(response.status(), await response.text()).toBe(201);
  const body = (await response.json()) as { token: string; jobId: string; expiresAt: string };
  return { ...body, headers: { Authorization: `Bearer ${body.token}` } };
}

test("a job token follows its job (status, long poll, events, result) and nothing else", async ({
  jobsApi,
  request,
  sql,
}) => {
  const job = await jobsApi.submitAccepted("demo.steps", { steps: 3, stepMs: 400 });
  const other = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
  const made = await tokenFor(request, job.id);
  expect(made.token).toMatch(/^ajt_/);
  expect(made.jobId).toBe(job.id);
  // An hour unless asked otherwise.
  const lifetime = Date.parse(made.expiresAt) - Date.now();
  expect(lifetime).toBeGreaterThan(3_500_000);
  expect(lifetime).toBeLessThanOrEqual(3_600_000);
  // Only its hash is kept.
  const [stored] = await sql`select token_hash from job_read_tokens where job_id = ${job.id}`;
  expect(stored?.token_hash).not.toContain(made.token.slice(4));

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${path}`, { headers: { ...made.headers, ...headers }, redirect: "manual" });

  // The events stream, to its end.
  const stream = await SseClient.open(`${baseUrl}/api/jobs/${job.id}/events`, made.headers);
  expect(stream.response.status).toBe(200);
  await stream.waitFor((events) => events.some((event) => event.data.includes('"state":"succeeded"')), 30_000);
  expect(stream.jobs(job.id).at(-1)?.progress).toBe(100);

  // The status monitor (303 to the result), a long poll, and the result.
  const status = await get(`/api/jobs/${job.id}`);
  expect(status.status).toBe(303);
  const etag = status.headers.get("etag") as string;
  const longPoll = await get(`/api/jobs/${job.id}`, { "If-None-Match": etag, Prefer: "wait=1" });
  expect(longPoll.status).toBe(304);
  const result = await get(`/api/jobs/${job.id}/result`);
  expect(result.status).toBe(200);

  // Another job, even the same owner's, does not exist for it.
  for (const path of [`/api/jobs/${other.id}`, `/api/jobs/${other.id}/events`, `/api/jobs/${other.id}/result`]) {
    const response = await get(path);
    expect(response.status, path).toBe(404);
  }
  // Anything that is not one of those reads is refused, 403 with its own problem type.
  const refused = [
    await get("/api/jobs"),
    await get("/api/events"),
    await get("/api/batches"),
    await get("/api/mailbox"),
    await get("/api/webhooks"),
    await fetch(`${baseUrl}/api/jobs/${job.id}`, { method: "DELETE", headers: made.headers }),
    await fetch(`${baseUrl}/api/jobs/${job.id}/retry`, { method: "POST", headers: made.headers }),
    await fetch(`${baseUrl}/api/jobs/${job.id}/tokens`, { method: "POST", headers: made.headers }),
    await fetch(`${baseUrl}/api/jobs`, {
      method: "POST",
      headers: { ...made.headers, "Content-Type": "application/json" },
      body: JSON.stringify({ type: "demo.steps", input: {} }),
    }),
  ];
  for (const response of refused) {
    expect(response.status, response.url).toBe(403);
    expect((await response.json()).type).toBe("/problems/read-only-job-token");
  }
});

test("over a WebSocket, a job token hears its job and no other; in the query too, for browsers", async ({
  jobsApi,
  request,
}) => {
  const job = await jobsApi.submitAccepted("demo.steps", { steps: 3, stepMs: 300 });
  const other = await jobsApi.submitAccepted("demo.steps", { steps: 2, stepMs: 300 });
  const made = await tokenFor(request, job.id);
  // As a browser's WebSocket must: the token in the query, no headers.
  const socket = await SocketClient.ready(baseUrl, {}, `?access_token=${encodeURIComponent(made.token)}`);
  expect(socket.messages[0]).toMatchObject({ type: "ready", scope: "job" });
  socket.send({ type: "subscribe", jobs: { [other.id]: 0 } });
  await socket.waitFor((messages) => messages.some((message) => message.type === "not-found"));
  await socket.waitFor(() => socket.jobs(job.id).some((seen) => seen.state === "succeeded"), 30_000);
  await jobsApi.waitForState(other.id, ["succeeded"]);
  expect(socket.jobs(other.id)).toEqual([]);
  socket.close();

  // scope=all is for admins.
  const all = SocketClient.connect(baseUrl, made.headers, "?scope=all");
  expect((await all.done).code).toBe(4403);
});

test("a job token expires, is made only by the job's owner (or an admin), and lives at most a day", async ({
  jobsApi,
  request,
  strangerApi,
  adminApi,
  sql,
}) => {
  const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
  expect((await strangerApi.post(`/api/jobs/${job.id}/tokens`)).status()).toBe(404);
  expect((await adminApi.post(`/api/jobs/${job.id}/tokens`)).status()).toBe(201);
  for (const data of [{ expiresInSeconds: 86_401 }, { expiresInSeconds: 10 }, { expiresInSeconds: 60, scope: "all" }]) {
    expect((await request.post(`/api/jobs/${job.id}/tokens`, { data })).status(), JSON.stringify(data)).toBe(422);
  }
  const day = await tokenFor(request, job.id, { expiresInSeconds: 86_400 });
  expect(Date.parse(day.expiresAt) - Date.now()).toBeGreaterThan(86_000_000);

  // Once expired, the token is a 401. (Its expiry is moved into the past in the database, before the token's
  // first use: a grant a process has seen is kept with its expiry, which passes by itself, never by an UPDATE.)
  const short = await tokenFor(request, job.id, { expiresInSeconds: 60 });
  await sql`update job_read_tokens set expires_at = now() - interval '1 second' where job_id = ${job.id} and expires_at < now() + interval '2 minutes'`;
  const expired = await fetch(`${baseUrl}/api/jobs/${job.id}?redirect=false`, { headers: short.headers });
  expect(expired.status).toBe(401);
  // A made-up one is a 401 too.
  const forged = await fetch(`${baseUrl}/api/jobs/${job.id}`, { headers: { Authorization: "Bearer ajt_forged" } });
  expect(forged.status).toBe(401);
});

test("a job token's connections have an allowance of their own (10): they cannot use up the owner's", async ({
  jobsApi,
  request,
  owner,
}) => {
  test.setTimeout(90_000);
  const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
  const held: SocketClient[] = [];
  try {
    // Eleven tokens, each with its 10: 110 connections, more than the owner's own cap of 100.
    for (let i = 0; i < 11; i++) {
      const { token } = await tokenFor(request, job.id);
      held.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, () => SocketClient.ready(baseUrl, {}, `?access_token=${token}`)),
        )),
      );
      if (i > 0) continue;
      // The eleventh over one token is refused, as one past a user's cap is.
      const refused = SocketClient.connect(baseUrl, {}, `?access_token=${token}`);
      expect((await refused.done).code).toBe(4429);
      const stream = await fetch(`${baseUrl}/api/jobs/${job.id}/events`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(stream.status).toBe(429);
      await stream.body?.cancel();
    }
    // The owner still connects: none of the 110 counted against them.
    const own = await SocketClient.ready(baseUrl, owner.headers);
    own.close();
    const ownStream = await SseClient.open(`${baseUrl}/api/jobs/${job.id}/events`, owner.headers);
    expect(ownStream.response.status).toBe(200);
    ownStream.close();
  } finally {
    for (const socket of held) socket.close();
  }
});
