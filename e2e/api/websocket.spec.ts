import { setTimeout as sleep } from "node:timers/promises";
import { createToken } from "@/e2e/support/api-user";
import { SseClient } from "@/e2e/support/sse-client";
import { SocketClient } from "@/e2e/support/ws-client";
import { baseURL, expect, submitDemoVia, test } from "../support/fixtures";

// The WebSocket side of /api/events (README: "Following a job over a WebSocket").

const origin = new URL(baseURL).origin;

test("a WebSocket with an API token follows a job from submit to its final state, progress rising in order", async ({
  owner,
}) => {
  const socket = await SocketClient.ready(baseURL, owner.headers);
  try {
    expect(socket.messages[0]).toEqual({ type: "ready", scope: "own" });
    const job = await submitDemoVia(baseURL, owner, { steps: 4, stepMs: 300 });
    await socket.waitFor(() => socket.jobs(job.id).some((seen) => seen.state === "succeeded"));
    const seen = socket.jobs(job.id);
    const versions = seen.map((status) => status.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    expect(seen.map((status) => status.progress).filter((p) => p > 0)).toEqual([25, 50, 75, 100]);
    expect(seen.at(-1)?.state).toBe("succeeded");
  } finally {
    socket.close();
  }
});

test("a socket that reconnects with the versions it has misses nothing", async ({ owner, jobsApi }) => {
  const job = await submitDemoVia(baseURL, owner, { steps: 8, stepMs: 250 });
  const first = await SocketClient.ready(baseURL, owner.headers);
  first.send({ type: "subscribe", jobs: { [job.id]: 0 } });
  await first.waitFor(() => first.jobs(job.id).some((seen) => seen.progress > 0));
  first.close();
  const had = first.jobs(job.id).at(-1)?.version ?? 0;
  await sleep(700); // the job moves on meanwhile

  const second = await SocketClient.ready(baseURL, owner.headers);
  try {
    second.send({ type: "subscribe", jobs: { [job.id]: had } });
    await second.waitFor(() => second.jobs(job.id).some((seen) => seen.state === "succeeded"));
    const versions = second.jobs(job.id).map((seen) => seen.version);
    // At once the version it lacked, newer than the one it had; then each newer one; never one it had.
    expect(versions[0]).toBeGreaterThan(had);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    const final = await jobsApi.waitForState(job.id, ["succeeded"]);
    expect(versions.at(-1)).toBe(final.version);
  } finally {
    second.close();
  }

  // The all-jobs socket resumes from the time of the last change it saw.
  const away = Date.now();
  const missed = await submitDemoVia(baseURL, owner, { steps: 1, stepMs: 0 });
  await jobsApi.waitForState(missed.id, ["succeeded"]);
  const resumed = await SocketClient.ready(baseURL, owner.headers);
  try {
    resumed.send({ type: "resume", since: away });
    await resumed.waitFor(() => resumed.jobs(missed.id).some((seen) => seen.state === "succeeded"));
  } finally {
    resumed.close();
  }
});

test("another user's socket never sees the job: not on the all-jobs socket, and not-found when subscribing", async ({
  owner,
  stranger,
}) => {
  const theirs = await SocketClient.ready(baseURL, stranger.headers);
  const subscriber = await SocketClient.ready(baseURL, stranger.headers);
  try {
    const job = await submitDemoVia(baseURL, owner, { steps: 2, stepMs: 200 });
    subscriber.send({ type: "subscribe", jobs: { [job.id]: 0 } });
    await subscriber.waitFor((messages) => messages.some((message) => message.type === "not-found"));
    expect(subscriber.messages.at(-1)).toEqual({ type: "not-found", id: job.id });
    const ownerSocket = await SocketClient.ready(baseURL, owner.headers);
    ownerSocket.send({ type: "subscribe", jobs: { [job.id]: 0 } });
    await ownerSocket.waitFor(() => ownerSocket.jobs(job.id).some((seen) => seen.state === "succeeded"));
    ownerSocket.close();
    await sleep(300);
    expect(theirs.jobs(job.id)).toEqual([]);
    expect(subscriber.jobs()).toEqual([]);
  } finally {
    theirs.close();
    subscriber.close();
  }
});

test("refusals are close codes, with no job data: 4401 unauthenticated, 4403 cross-site cookie or scope=all", async ({
  owner,
  admin,
}) => {
  const strangers: Record<string, string>[] = [
    {},
    { Authorization: "Bearer not-a-token" },
    { Cookie: "better-auth.session_token=forged" },
  ];
  for (const headers of strangers) {
    const socket = SocketClient.connect(baseURL, headers);
    expect((await socket.done).code).toBe(4401);
    expect(socket.messages).toEqual([]);
  }

  // Cross-site WebSocket hijacking: another site's page upgrading with our user's cookie.
  const hijack = SocketClient.connect(baseURL, { Cookie: owner.cookie, Origin: "https://evil.example" });
  expect(await hijack.done).toEqual({ code: 4403, reason: "cross-origin upgrade with a session cookie" });
  expect(hijack.messages).toEqual([]);
  const ownPage = await SocketClient.ready(baseURL, { Cookie: owner.cookie, Origin: origin });
  ownPage.close();

  const notAdmin = SocketClient.connect(baseURL, owner.headers, "?scope=all");
  expect((await notAdmin.done).code).toBe(4403);
  const bogus = SocketClient.connect(baseURL, owner.headers, "?scope=everything");
  expect((await bogus.done).code).toBe(4400);

  // An admin's scope=all socket hears everyone's jobs.
  const everything = await SocketClient.ready(baseURL, admin.headers, "?scope=all");
  try {
    const job = await submitDemoVia(baseURL, owner, { steps: 1, stepMs: 0 });
    await everything.waitFor(() => everything.jobs(job.id).some((seen) => seen.state === "succeeded"));
  } finally {
    everything.close();
  }
});

test("bad messages get an error reply and the socket stays usable", async ({ owner }) => {
  const socket = await SocketClient.ready(baseURL, owner.headers);
  try {
    for (const bad of ["not json", "{}", '{"type":"subscribe","jobs":{"nope":1}}', '{"type":"resume","since":-1}']) {
      socket.socket.send(bad);
    }
    socket.socket.send('{"type":"subscribe","jobs":{"00000000-0000-4000-8000-000000000000":0},"extra":1}');
    await socket.waitFor((messages) => messages.filter((message) => message.type === "error").length === 5);
    const job = await submitDemoVia(baseURL, owner, { steps: 1, stepMs: 0 });
    socket.send({ type: "subscribe", jobs: { [job.id]: 0 } });
    await socket.waitFor(() => socket.jobs(job.id).some((seen) => seen.state === "succeeded"));
  } finally {
    socket.close();
  }
});

test("a revoked token closes its open socket with 4401 at once", async ({ owner }) => {
  const token = await createToken(baseURL, owner, "socket");
  const socket = await SocketClient.ready(baseURL, token.headers);
  expect(await token.revoke()).toBe(200);
  expect((await socket.done).code).toBe(4401);
});

test("one user's connections are capped (SSE, WebSockets and long polls together): 429 and 4429 past it", async ({
  stranger,
  apiOf,
}) => {
  const cap = 100; // REALTIME_MAX_CONNECTIONS_PER_USER's default
  const streams: SseClient[] = [];
  const sockets: SocketClient[] = [];
  try {
    for (let i = 0; i < cap / 2; i++) streams.push(await SseClient.open(`${baseURL}/api/events`, stranger.headers));
    sockets.push(
      ...(await Promise.all(Array.from({ length: cap / 2 }, () => SocketClient.ready(baseURL, stranger.headers)))),
    );
    expect(streams.every((stream) => stream.response.status === 200)).toBe(true);

    const refused = await fetch(`${baseURL}/api/events`, { headers: stranger.headers });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(await refused.json()).toMatchObject({ type: "/problems/too-many-connections", status: 429, cap });
    const submitted = await submitDemoVia(baseURL, stranger, { steps: 1, stepMs: 0 });
    const api = await apiOf(stranger);
    const finished = async () => (await (await api.get(`/api/jobs/${submitted.id}?redirect=false`)).json()).state;
    await expect.poll(finished).toBe("succeeded");
    const job = await api.get(`/api/jobs/${submitted.id}?redirect=false`);
    // A long poll from the version it has (final: it would wait the whole 5 s) is a connection.
    const longPoll = await fetch(`${baseURL}/api/jobs/${submitted.id}?redirect=false`, {
      headers: { ...stranger.headers, Prefer: "wait=5", "If-None-Match": job.headers().etag ?? "" },
    });
    expect(longPoll.status).toBe(429);
    const socket = SocketClient.connect(baseURL, stranger.headers);
    expect((await socket.done).code).toBe(4429);

    // Ordinary requests are not connections: they go on.
    expect((await fetch(`${baseURL}/api/jobs`, { headers: stranger.headers })).status).toBe(200);
    // One closes; the next is taken.
    streams.pop()?.close();
    await expect
      .poll(async () => {
        const next = await SseClient.open(`${baseURL}/api/events`, stranger.headers);
        next.close();
        return next.response.status;
      })
      .toBe(200);
  } finally {
    for (const stream of streams) stream.close();
    for (const socket of sockets) socket.close();
  }
});

test("a socket flooding subscriptions of unknown ids is closed with 1008; another user's socket is unaffected", async ({
  owner,
  stranger,
}) => {
  const bystander = await SocketClient.ready(baseURL, stranger.headers);
  const flooder = await SocketClient.ready(baseURL, owner.headers);
  try {
    // One full subscription of made-up ids is fine: every id is answered.
    const ids = (count: number) => Array.from({ length: count }, () => crypto.randomUUID());
    flooder.send({ type: "subscribe", jobs: Object.fromEntries(ids(1_000).map((id) => [id, 0])) });
    await flooder.waitFor((messages) => messages.filter((message) => message.type === "not-found").length === 1_000);
    // 300 more at once: past the budget the socket is closed, saying why, long before 300,000 answers.
    for (let i = 0; i < 300 && !flooder.closed; i++) {
      flooder.send({ type: "subscribe", jobs: Object.fromEntries(ids(1_000).map((id) => [id, 0])) });
    }
    const closed = await flooder.done;
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/too many messages/);
    expect(flooder.messages.length).toBeLessThan(5_000);
    // The bystander still hears their own job.
    const job = await submitDemoVia(baseURL, stranger, { steps: 1, stepMs: 0 });
    await bystander.waitFor(() => bystander.jobs(job.id).some((seen) => seen.state === "succeeded"));
  } finally {
    flooder.close();
    bystander.close();
  }
});

test("an invalid subscription is charged for every id it names, and answered briefly", async ({ owner }) => {
  const socket = await SocketClient.ready(baseURL, owner.headers);
  try {
    // 900 keys that are not job ids: a small error reply, and most of the budget spent.
    const junk = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`not-an-id-${i}`, 0]));
    socket.send({ type: "subscribe", jobs: junk(900) });
    await socket.waitFor((messages) => messages.some((message) => message.type === "error"));
    const reply = socket.messages.find((message) => message.type === "error");
    expect(JSON.stringify(reply).length).toBeLessThan(300);
    // The next one like it overspends: closed, before its ids are ever validated.
    socket.send({ type: "subscribe", jobs: junk(900) });
    expect((await socket.done).code).toBe(1008);
  } finally {
    socket.close();
  }
});
