import type { APIRequestContext, APIResponse } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { type ApiUser, createApiUser } from "../support/api-user";
import { baseURL, expect, test } from "../support/fixtures";
import { type Received, WebhookReceiver } from "../support/webhook-receiver";

// Users of their own: an endpoint hears every job of its owner, and the
// shared owner's jobs come from every other spec.
let alice: ApiUser;
let bob: ApiUser;
let receiver: WebhookReceiver;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  alice = await createApiUser(baseURL, "alice-hooks");
  bob = await createApiUser(baseURL, "bob-hooks");
  receiver = await WebhookReceiver.start();
});

test.afterAll(async () => {
  await receiver.stop();
});

interface Created {
  endpoint: { id: string; url: string; enabled: boolean; events: string[] };
  secret: string;
  ping: { ok: boolean; status: number | null };
}

async function addEndpoint(api: APIRequestContext, data: Record<string, unknown>): Promise<Created> {
  const response = await api.post("/api/webhooks", { data });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as Created;
}

const verifier = (secret: string) => new Webhook(secret);
const verifies = (secret: string, received: Received) => {
  try {
    verifier(secret).verify(received.body, received.headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
};

async function submit(api: APIRequestContext, input: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const response = await api.post("/api/jobs", { data: { type: "demo.steps", input, ...extra } });
  expect(response.status(), await response.text()).toBe(202);
  return (await response.json()) as { id: string };
}

/** Deletes every endpoint the user has, so the next test starts with none. */
async function removeEndpoints(api: APIRequestContext) {
  const { items } = (await (await api.get("/api/webhooks")).json()) as { items: { id: string }[] };
  for (const { id } of items) expect((await api.delete(`/api/webhooks/${id}`)).status()).toBe(204);
}

test.afterEach(async ({ apiOf }) => {
  await removeEndpoints(await apiOf(alice));
  await removeEndpoints(await apiOf(bob));
});

test("a finished job's event arrives signed, and verifies with the Standard Webhooks library", async ({ apiOf }) => {
  const api = await apiOf(alice);
  const url = receiver.url("/alice/signed");
  const created = await addEndpoint(api, { url, description: "signed" });
  expect(created.secret).toMatch(/^whsec_/);
  // The URL was pinged when it was saved, signed like any message.
  expect(created.ping).toMatchObject({ ok: true, status: 200 });
  const ping = receiver.arrivals.items.find((received) => received.path === "/alice/signed");
  expect(ping?.message.type).toBe("webhook.ping");
  expect(ping && verifies(created.secret, ping)).toBe(true);
  // The secret is shown once: never in what the API shows later.
  const shown = await (await api.get(`/api/webhooks/${created.endpoint.id}`)).text();
  expect(shown).not.toContain(created.secret);

  const job = await submit(api, { steps: 2, stepMs: 50 });
  await receiver.waitFor(() => receiver.forJob(job.id).length >= 1);
  const [event] = receiver.forJob(job.id);
  expect(event?.path).toBe("/alice/signed");
  expect(event?.message.type).toBe("job.succeeded");
  expect(event?.message.data).toMatchObject({ id: job.id, state: "succeeded", progress: 100, type: "demo.steps" });
  // Links lead back to the app from wherever the receiver is.
  expect((event?.message.data.links as Record<string, string> | undefined)?.self).toMatch(
    new RegExp(`^https?://[^/]+/api/jobs/${job.id}$`),
  );
  expect(event?.headers["webhook-id"]).toMatch(/^msg_/);
  expect(event && verifies(created.secret, event)).toBe(true);
  // Tampered with, it does not verify.
  expect(event && verifies(created.secret, { ...event, body: event.body.replace("succeeded", "failed") })).toBe(false);
});

test("a receiver that fails twice then succeeds gets the same webhook-id three times, all in the log", async ({
  apiOf,
}) => {
  const api = await apiOf(alice);
  const created = await addEndpoint(api, { url: receiver.url("/alice/flaky") });
  receiver.answerNext({ status: 500, body: "database down" }, { status: 503, body: "still down" });
  const job = await submit(api, { steps: 1, stepMs: 0 });
  await receiver.waitFor(() => receiver.forJob(job.id).length >= 3);
  const got = receiver.forJob(job.id);
  expect(new Set(got.map((received) => received.headers["webhook-id"])).size).toBe(1);
  expect(got.every((received) => received.body === got[0]?.body)).toBe(true);

  // The log: one delivery, three attempts, as the receiver answered them.
  await expect
    .poll(async () => {
      const log = await (await api.get(`/api/webhooks/${created.endpoint.id}/deliveries`)).json();
      return log.items.find((item: { jobId: string }) => item.jobId === job.id);
    })
    .toMatchObject({
      event: "job.succeeded",
      state: "delivered",
      webhookId: got[0]?.headers["webhook-id"],
      attempts: [
        { status: 500, responseStart: "database down" },
        { status: 503, responseStart: "still down" },
        { status: 200, responseStart: "ok" },
      ],
    });
  // The job's own view of its deliveries says the same.
  const forJob = await (await api.get(`/api/jobs/${job.id}/webhook-deliveries`)).json();
  expect(forJob.items).toHaveLength(1);
  expect(forJob.items[0].attempts).toHaveLength(3);

  // Redelivered on request: the same message again.
  const redeliver = await api.post(`/api/webhooks/${created.endpoint.id}/deliveries/${forJob.items[0].id}/redeliver`);
  expect(redeliver.status()).toBe(202);
  await receiver.waitFor(() => receiver.forJob(job.id).length >= 4);
  expect(receiver.forJob(job.id)[3]?.headers["webhook-id"]).toBe(got[0]?.headers["webhook-id"]);
});

test("a job's events go out in order, even while an earlier one waits for its retry", async ({ apiOf }) => {
  const api = await apiOf(alice);
  await addEndpoint(api, { url: receiver.url("/alice/ordered"), events: ["job.progress", "job.succeeded"] });
  // The first progress message fails once; what follows must wait for it.
  receiver.answerNext({ status: 500 });
  const job = await submit(api, { steps: 4, stepMs: 300 });
  await receiver.waitFor(() => receiver.forJob(job.id).some((received) => received.message.type === "job.succeeded"));
  const delivered = receiver.forJob(job.id).slice(1); // after the failed first try
  const types = delivered.map((received) => received.message.type);
  expect(types.at(-1)).toBe("job.succeeded");
  expect(types.slice(0, -1).every((type) => type === "job.progress")).toBe(true);
  const versions = delivered.map((received) => received.message.data.version as number);
  expect(versions).toEqual([...versions].sort((a, b) => a - b));
  const progress = delivered.map((received) => received.message.data.progress as number);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
});

test("failed and cancelled jobs have their own events; a disabled endpoint and other types hear nothing", async ({
  apiOf,
}) => {
  const api = await apiOf(alice);
  await addEndpoint(api, { url: receiver.url("/alice/all") });
  const disabled = await addEndpoint(api, { url: receiver.url("/alice/disabled") });
  expect((await api.patch(`/api/webhooks/${disabled.endpoint.id}`, { data: { enabled: false } })).status()).toBe(200);
  await addEndpoint(api, { url: receiver.url("/alice/exports-only"), jobTypes: ["jobs.export"] });

  const failing = await submit(api, { steps: 1, stepMs: 0, failAtStep: 1 });
  const cancelled = await submit(api, { steps: 50, stepMs: 500 });
  expect((await api.delete(`/api/jobs/${cancelled.id}`)).status()).toBe(200);
  await receiver.waitFor(() => receiver.forJob(cancelled.id).length >= 1);
  expect(receiver.forJob(cancelled.id)[0]?.message).toMatchObject({
    type: "job.cancelled",
    data: { state: "cancelled" },
  });
  await receiver.waitFor(() => receiver.forJob(failing.id).length >= 1, 40_000);
  expect(receiver.forJob(failing.id)[0]?.message).toMatchObject({
    type: "job.failed",
    data: { state: "failed", error: { type: "/problems/job-failed" } },
  });
  // Only the pings they got when they were saved.
  const heard = (path: string) =>
    receiver.arrivals.items.filter((received) => received.path === path && received.message.type !== "webhook.ping");
  expect(heard("/alice/disabled")).toEqual([]);
  expect(heard("/alice/exports-only")).toEqual([]);
});

test("another user's jobs never reach my endpoint, and my endpoints are a 404 to them", async ({ apiOf }) => {
  const aliceApi = await apiOf(alice);
  const bobApi = await apiOf(bob);
  const mine = await addEndpoint(aliceApi, { url: receiver.url("/alice/mine") });
  await addEndpoint(bobApi, { url: receiver.url("/bob/his") });
  const bobsJob = await submit(bobApi, { steps: 1, stepMs: 0 });
  await receiver.waitFor(() => receiver.forJob(bobsJob.id).length >= 1);
  // Give a stray delivery time to show itself.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(receiver.forJob(bobsJob.id).map((received) => received.path)).toEqual(["/bob/his"]);

  for (const response of [
    await bobApi.get(`/api/webhooks/${mine.endpoint.id}`),
    await bobApi.patch(`/api/webhooks/${mine.endpoint.id}`, { data: { enabled: false } }),
    await bobApi.delete(`/api/webhooks/${mine.endpoint.id}`),
    await bobApi.post(`/api/webhooks/${mine.endpoint.id}/secret`),
    await bobApi.get(`/api/webhooks/${mine.endpoint.id}/deliveries`),
    await aliceApi.get(`/api/jobs/${bobsJob.id}/webhook-deliveries`),
  ]) {
    expect(response.status()).toBe(404);
    expect(response.headers()["content-type"]).toContain("application/problem+json");
  }
  expect((await aliceApi.get(`/api/webhooks/${mine.endpoint.id}`)).status()).toBe(200);
});

test("a rotated secret signs every delivery from then on; the old one verifies none", async ({ apiOf }) => {
  const api = await apiOf(alice);
  const created = await addEndpoint(api, { url: receiver.url("/alice/rotated") });
  const rotated = await api.post(`/api/webhooks/${created.endpoint.id}/secret`);
  expect(rotated.status()).toBe(200);
  const { secret } = (await rotated.json()) as { secret: string };
  expect(secret).not.toBe(created.secret);

  const test = await api.post(`/api/webhooks/${created.endpoint.id}/test`);
  expect(test.status()).toBe(202);
  await receiver.waitFor((items) =>
    items.some((received) => received.path === "/alice/rotated" && received.message.type === "webhook.test"),
  );
  const delivered = receiver.arrivals.items.find(
    (received) => received.path === "/alice/rotated" && received.message.type === "webhook.test",
  ) as Received;
  expect(verifies(secret, delivered)).toBe(true);
  expect(verifies(created.secret, delivered)).toBe(false);
});

test("bad endpoint input is a 422 problem and saves nothing", async ({ apiOf }) => {
  const api = await apiOf(alice);
  const bad: Record<string, unknown>[] = [
    { url: receiver.url(), colour: "blue" },
    { url: receiver.url(), events: [] },
    { url: receiver.url(), events: ["job.exploded"] },
    { url: receiver.url(), jobTypes: ["no.such.type"] },
    { url: "not a url" },
    { url: "ftp://example.com/hook" },
    { url: `${receiver.url()}\u0000` },
    { url: "https://user:secret@example.com/hook" },
    { url: receiver.url(), description: "\ud800" },
  ];
  for (const data of bad) {
    const response = await api.post("/api/webhooks", { data });
    expect(response.status(), JSON.stringify(data)).toBe(422);
    expect(response.headers()["content-type"]).toContain("application/problem+json");
  }
  expect((await (await api.get("/api/webhooks")).json()).items).toEqual([]);
});

test("asking to be emailed when done puts a message with the job's link in the mailbox", async ({ apiOf }) => {
  const api = await apiOf(alice);
  const job = await submit(api, { steps: 1, stepMs: 0 }, { notifyWhenDone: true });
  await expect
    .poll(async () => {
      const { items } = await (await api.get("/api/mailbox")).json();
      return items.find((message: { jobId: string }) => message.jobId === job.id) ?? null;
    })
    .toMatchObject({
      to: alice.email,
      subject: "Demo: steps is done",
      text: expect.stringContaining(`/jobs/${job.id}`),
    });
});

test("the cap of 20 endpoints holds when 40 are created at once", async ({ apiOf, sql }) => {
  const carol = await createApiUser(baseURL, "carol-hooks");
  const api = await apiOf(carol);
  const answers = await Promise.all(
    Array.from({ length: 40 }, (_, i) => api.post("/api/webhooks", { data: { url: receiver.url(`/cap-${i}`) } })),
  );
  const statuses = answers.map((answer) => answer.status());
  expect(statuses.filter((status) => status === 201)).toHaveLength(20);
  // The rest: past the cap (422), or past the rate of pings (429), which keeps 40 at once from pinging 40 times.
  expect(statuses.filter((status) => status === 422 || status === 429)).toHaveLength(20);
  const [stored] = await sql`select count(*)::int as n from webhook_endpoints where owner_id = ${carol.id}`;
  expect(stored?.n).toBe(20);
  await removeEndpoints(api);
});

test("test sends and redeliveries a user asks for are rate limited together: 10 a minute, then 429", async ({
  apiOf,
}) => {
  const dave = await createApiUser(baseURL, "dave-hooks");
  const api = await apiOf(dave);
  const { endpoint } = await addEndpoint(api, { url: receiver.url("/manual") });
  const tests = await Promise.all(Array.from({ length: 8 }, () => api.post(`/api/webhooks/${endpoint.id}/test`)));
  expect(tests.map((answer) => answer.status())).toEqual(Array(8).fill(202));
  const { deliveryId } = (await (tests[0] as APIResponse).json()) as { deliveryId: string };
  const redeliveries = await Promise.all(
    Array.from({ length: 6 }, () => api.post(`/api/webhooks/${endpoint.id}/deliveries/${deliveryId}/redeliver`)),
  );
  const statuses = redeliveries.map((answer) => answer.status());
  expect(statuses.filter((status) => status === 202)).toHaveLength(2);
  expect(statuses.filter((status) => status === 429)).toHaveLength(4);
  const refused = redeliveries.find((answer) => answer.status() === 429);
  expect(refused?.headers()["content-type"]).toContain("application/problem+json");
  expect(Number(refused?.headers()["retry-after"])).toBeGreaterThan(0);
  expect(await refused?.json()).toMatchObject({
    type: "/problems/rate-limited",
    limit: "webhook-manual-send",
    max: 10,
  });
  await removeEndpoints(api);
});

test("the pings that check a URL are rate limited (30 a minute): changing the URL in a loop is not a port probe", async ({
  apiOf,
}) => {
  const erin = await createApiUser(baseURL, "erin-hooks");
  const api = await apiOf(erin);
  const { endpoint } = await addEndpoint(api, { url: receiver.url("/erin-0") });
  for (let i = 1; i < 30; i++) {
    const changed = await api.patch(`/api/webhooks/${endpoint.id}`, { data: { url: receiver.url(`/erin-${i}`) } });
    expect(changed.status(), await changed.text()).toBe(200);
  }
  const refused = await api.patch(`/api/webhooks/${endpoint.id}`, { data: { url: receiver.url("/erin-30") } });
  expect(refused.status()).toBe(429);
  expect(await refused.json()).toMatchObject({ type: "/problems/rate-limited", limit: "webhook-ping", max: 30 });
  const pinged = receiver.arrivals.items.filter((received) => received.path.startsWith("/erin-"));
  expect(pinged).toHaveLength(30);
  // What was refused was not saved either.
  expect((await (await api.get(`/api/webhooks/${endpoint.id}`)).json()).url).toBe(receiver.url("/erin-29"));
  await removeEndpoints(api);
});
