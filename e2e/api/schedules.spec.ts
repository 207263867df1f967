import type { APIRequestContext } from "@playwright/test";
import type { ScheduleStatus } from "@/lib/schedules/representation";
import { createApiUser } from "../support/api-user";
import { expect, type JobStatus, test } from "../support/fixtures";

const every2s = { type: "demo.steps", input: { steps: 1, stepMs: 10 }, cron: "*/2 * * * * *", timezone: "UTC" };

const create = (api: APIRequestContext, data: unknown) => api.post("/api/schedules", { data });

async function created(api: APIRequestContext, data: unknown): Promise<ScheduleStatus> {
  const response = await create(api, data);
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as ScheduleStatus;
}

const schedulesOf = async (sql: import("postgres").Sql, ownerId: string) =>
  (await sql`select count(*)::int as n from schedules where owner_id = ${ownerId}`)[0]?.n as number;

test("a schedule is made, read, changed, paused, resumed and deleted", async ({ request }) => {
  const response = await create(request, { ...every2s, cron: "0 9 * * MON-FRI", timezone: "europe/paris" });
  expect(response.status()).toBe(201);
  const schedule = (await response.json()) as ScheduleStatus;
  expect(response.headers().location).toBe(`/api/schedules/${schedule.id}`);
  expect(schedule).toMatchObject({
    type: "demo.steps",
    title: "Demo: steps",
    cron: "0 9 * * MON-FRI",
    timezone: "Europe/Paris",
    paused: false,
    concurrencyKey: null,
    lastFiredAt: null,
    links: { self: `/api/schedules/${schedule.id}`, runs: `/api/schedules/${schedule.id}/runs` },
  });
  // The next five firings: weekdays at 09:00 in Paris, in order.
  expect(schedule.upcoming).toHaveLength(5);
  expect(schedule.nextRunAt).toBe(schedule.upcoming[0]);
  for (const at of schedule.upcoming) {
    const paris = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Paris",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
    }).format(new Date(at));
    expect(paris).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 09:00$/);
  }
  expect([...schedule.upcoming].sort()).toEqual(schedule.upcoming);

  const listed = await (await request.get("/api/schedules")).json();
  expect(listed.items.map((item: ScheduleStatus) => item.id)).toContain(schedule.id);
  expect((await request.get(`/api/schedules/${schedule.id}`)).status()).toBe(200);

  const changed = await request.patch(`/api/schedules/${schedule.id}`, {
    data: { cron: "30 18 * * *", input: { steps: 2 }, concurrencyKey: "evening" },
  });
  expect(changed.status(), await changed.text()).toBe(200);
  expect(await changed.json()).toMatchObject({ cron: "30 18 * * *", input: { steps: 2 }, concurrencyKey: "evening" });

  const paused = await (await request.patch(`/api/schedules/${schedule.id}`, { data: { paused: true } })).json();
  expect(paused).toMatchObject({ paused: true, nextRunAt: null, upcoming: [] });
  const resumed = await (await request.patch(`/api/schedules/${schedule.id}`, { data: { paused: false } })).json();
  expect(resumed.paused).toBe(false);
  expect(Date.parse(resumed.nextRunAt)).toBeGreaterThan(Date.now());

  expect((await request.delete(`/api/schedules/${schedule.id}`)).status()).toBe(204);
  expect((await request.get(`/api/schedules/${schedule.id}`)).status()).toBe(404);
  expect((await request.delete(`/api/schedules/${schedule.id}`)).status()).toBe(404);
});

test("its firings make ordinary jobs that name it, listed as its runs", async ({ request }) => {
  const schedule = await created(request, every2s);
  try {
    await expect
      .poll(
        async () => {
          const runs = await (await request.get(`/api/schedules/${schedule.id}/runs?state=succeeded`)).json();
          return runs.items.length;
        },
        { timeout: 15_000 },
      )
      .toBeGreaterThanOrEqual(2);
    const runs = (await (await request.get(`/api/schedules/${schedule.id}/runs?limit=1`)).json()) as {
      items: JobStatus[];
      links: { next: string | null };
    };
    const [latest] = runs.items;
    expect(latest).toMatchObject({
      type: "demo.steps",
      scheduleId: schedule.id,
      links: { schedule: schedule.links.self },
    });
    // Its runAt is the firing's time, on an even second.
    expect(new Date(latest?.runAt as string).getUTCSeconds() % 2).toBe(0);
    expect(runs.links.next).toMatch(new RegExp(`^/api/schedules/${schedule.id}/runs\\?limit=1&cursor=`));
    const viaList = await (await request.get(`/api/jobs?schedule=${schedule.id}&limit=1`)).json();
    expect(viaList.items[0].id).toBe(latest?.id);
    const now = (await (await request.get(`/api/schedules/${schedule.id}`)).json()) as ScheduleStatus;
    expect(now.lastOutcome).toBe("created");
    expect(now.links.lastJob).toBe(`/api/jobs/${now.lastJobId}`);
  } finally {
    await request.delete(`/api/schedules/${schedule.id}`);
  }
});

test("someone else's schedule is a 404, whatever is asked of it", async ({ request, strangerApi }) => {
  const schedule = await created(request, { ...every2s, cron: "0 0 1 1 *" });
  try {
    expect((await strangerApi.get(`/api/schedules/${schedule.id}`)).status()).toBe(404);
    expect((await strangerApi.get(`/api/schedules/${schedule.id}/runs`)).status()).toBe(404);
    expect((await strangerApi.patch(`/api/schedules/${schedule.id}`, { data: { paused: true } })).status()).toBe(404);
    expect((await strangerApi.delete(`/api/schedules/${schedule.id}`)).status()).toBe(404);
    const theirs = await (await strangerApi.get("/api/schedules")).json();
    expect(theirs.items.map((item: ScheduleStatus) => item.id)).not.toContain(schedule.id);
    expect((await request.get(`/api/schedules/${schedule.id}`)).status()).toBe(200);
  } finally {
    await request.delete(`/api/schedules/${schedule.id}`);
  }
});

test("bad schedules are 4xx problems that write nothing", async ({ request, sql, owner }) => {
  const before = await schedulesOf(sql, owner.id);
  const cases: [unknown, number][] = [
    [{ ...every2s, cron: "0 0 30 2 *" }, 422], // never fires
    [{ ...every2s, cron: "61 * * * *" }, 422],
    [{ ...every2s, cron: "" }, 422],
    [{ ...every2s, cron: "* * * *\u0000 *" }, 422],
    [{ ...every2s, timezone: "Mars/Olympus" }, 422],
    [{ ...every2s, timezone: "+01:00" }, 422],
    [{ ...every2s, type: "no.such.type" }, 422],
    [{ ...every2s, type: "admin.bulk" }, 422],
    [{ ...every2s, input: { steps: 0 } }, 422],
    [{ ...every2s, every: "day" }, 422],
    [{ ...every2s, concurrencyKey: "" }, 422],
    [JSON.parse(`{"type":"demo.steps","cron":"* * * * *","__proto__":{"x":1}}`), 422],
  ];
  for (const [data, status] of cases) {
    const response = await create(request, data);
    expect(response.status(), JSON.stringify(data)).toBe(status);
    expect(response.headers()["content-type"]).toContain("application/problem+json");
  }
  const malformed = await request.post("/api/schedules", {
    data: Buffer.from("{not json"),
    headers: { "Content-Type": "application/json" },
  });
  expect(malformed.status()).toBe(400);
  expect(await schedulesOf(sql, owner.id)).toBe(before);

  const schedule = await created(request, { ...every2s, cron: "0 0 1 1 *" });
  try {
    for (const data of [
      { cron: "0 0 30 2 *" },
      { timezone: "Nowhere/Land" },
      { type: "demo.steps" },
      { input: { steps: -1 } },
    ]) {
      const response = await request.patch(`/api/schedules/${schedule.id}`, { data });
      expect(response.status(), JSON.stringify(data)).toBe(422);
    }
    // An id that cannot be one names no schedule, as for a job.
    expect((await request.get("/api/schedules/not-a-uuid")).status()).toBe(404);
    const unchanged = await (await request.get(`/api/schedules/${schedule.id}`)).json();
    expect(unchanged).toMatchObject({ cron: "0 0 1 1 *", timezone: "UTC", input: every2s.input });
  } finally {
    await request.delete(`/api/schedules/${schedule.id}`);
  }
});

test("the cap of 20 schedules holds under 25 concurrent creates", async ({ baseURL, playwright, sql }) => {
  const user = await createApiUser(baseURL as string, "many-schedules");
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: user.headers });
  try {
    const responses = await Promise.all(
      Array.from({ length: 25 }, () => create(api, { ...every2s, cron: "0 0 1 1 *" })),
    );
    const statuses = responses.map((response) => response.status());
    expect(statuses.filter((status) => status === 201)).toHaveLength(20);
    expect(statuses.filter((status) => status === 422)).toHaveLength(5);
    expect(await schedulesOf(sql, user.id)).toBe(20);
  } finally {
    await api.dispose();
  }
});
