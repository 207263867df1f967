import type { APIRequestContext } from "@playwright/test";
import { expect, type JobStatus, test } from "../support/fixtures";

// test.sleep (only these tests run it) may run 1.5 s an attempt, twice.
const LIMIT_S = 1.5;

const stuckAttempts = async (adminApi: APIRequestContext) => {
  const text = await (await adminApi.get("/api/metrics")).text();
  return Number(/^accepted_stuck_attempts (\d+)/m.exec(text)?.[1] ?? Number.NaN);
};

test.describe.configure({ mode: "serial" });

test("an attempt past its time limit fails on time, as timed out, and is retried", async ({ jobsApi }) => {
  const job = await jobsApi.submitAccepted("test.sleep", { ms: 20_000 });
  const started = Date.now();
  const failed = await jobsApi.waitForState(job.id, ["failed"], 30_000);
  // Two attempts of 1.5 s and the retry's backoff: nowhere near the 20 s the handler asked for.
  expect(Date.now() - started).toBeLessThan(12_000);
  expect(failed.attempts).toBe(2);
  expect(failed.attemptErrors.map((error) => error.message)).toEqual([
    `The attempt ran past its time limit of ${LIMIT_S} s`,
    `The attempt ran past its time limit of ${LIMIT_S} s`,
  ]);
  for (const error of failed.attemptErrors) {
    expect(error.durationMs).toBeGreaterThanOrEqual(LIMIT_S * 1000 - 50);
    expect(error.durationMs).toBeLessThan(LIMIT_S * 1000 + 1_500);
  }
  const monitor = await jobsApi.status(job.id);
  expect(monitor.status()).toBe(504);
  expect(monitor.headers()["content-type"]).toContain("application/problem+json");
  expect(await monitor.json()).toMatchObject({
    type: "/problems/job-timed-out",
    title: "The job timed out",
    status: 504,
    jobId: job.id,
  });
});

test("a handler that ignores its signal does not hold its job: failed on time, and counted as stuck until it returns", async ({
  jobsApi,
  adminApi,
}) => {
  const job = await jobsApi.submitAccepted("test.sleep", { ms: 9_000, ignoreSignal: true });
  const started = Date.now();
  // The first attempt ends at its limit, though its handler sleeps on.
  await expect
    .poll(async () => (await (await jobsApi.status(job.id, { redirect: false })).json()).attemptErrors.length, {
      timeout: 8_000,
    })
    .toBeGreaterThanOrEqual(1);
  expect(Date.now() - started).toBeLessThan(6_000);
  // The heartbeat carries the count to /api/metrics.
  await expect.poll(() => stuckAttempts(adminApi), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
  const failed = await jobsApi.waitForState(job.id, ["failed"], 15_000);
  expect(failed.attemptErrors[0]?.message).toBe(`The attempt ran past its time limit of ${LIMIT_S} s`);
  // Once the handlers have returned, nothing is stuck.
  await expect.poll(() => stuckAttempts(adminApi), { timeout: 30_000 }).toBe(0);
});

test("an admin sets a type's time limit, and returns it to the type's own", async ({ jobsApi, adminApi }) => {
  const set = async (timeoutMs: number | null) => {
    const response = await adminApi.patch("/api/admin/job-types/test.sleep", { data: { timeoutMs } });
    expect(response.status(), await response.text()).toBe(200);
    return (await response.json()) as { timeoutMs: number; customTimeout: boolean };
  };
  try {
    expect(await set(4_000)).toMatchObject({ timeoutMs: 4_000, customTimeout: true });
    // Workers read the limits at most every 5 s.
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const longer = await jobsApi.submitAccepted("test.sleep", { ms: 2_500 });
    expect((await jobsApi.waitForState(longer.id, ["succeeded", "failed"], 20_000)).state).toBe("succeeded");
  } finally {
    expect(await set(null)).toMatchObject({ timeoutMs: 1_500, customTimeout: false });
  }
  for (const timeoutMs of [999, 86_400_001, "soon"]) {
    const response = await adminApi.patch("/api/admin/job-types/test.sleep", { data: { timeoutMs } });
    expect(response.status(), String(timeoutMs)).toBe(422);
  }
  const { items } = (await (await adminApi.get("/api/admin/job-types")).json()) as {
    items: { type: string; timeoutMs: number; customTimeout: boolean }[];
  };
  expect(items.find((type) => type.type === "demo.steps")).toMatchObject({
    timeoutMs: 20 * 60_000,
    customTimeout: false,
  });
});

test("a job not started by its startBy is cancelled, saying why; a startBy that has passed is refused", async ({
  jobsApi,
  adminApi,
  request,
  owner,
  sql,
}) => {
  const before = (await sql`select count(*)::int as n from jobs where owner_id = ${owner.id}`)[0]?.n;
  for (const startBy of [new Date(Date.now() - 60_000).toISOString(), "0000-01-01T00:00:00Z", "2999-01-01T00:00:00Z"]) {
    const refused = await request.post("/api/jobs", { data: { type: "test.sleep", input: { ms: 0 }, startBy } });
    expect(refused.status(), startBy).toBe(422);
  }
  expect((await sql`select count(*)::int as n from jobs where owner_id = ${owner.id}`)[0]?.n).toBe(before);

  // Held back (its type paused) past its startBy: when the type resumes, it is cancelled instead of run.
  const pause = (paused: boolean) => adminApi.patch("/api/admin/job-types/test.sleep", { data: { paused } });
  expect((await pause(true)).status()).toBe(200);
  let job: JobStatus;
  try {
    const startBy = new Date(Date.now() + 1_500).toISOString();
    const response = await request.post("/api/jobs", { data: { type: "test.sleep", input: { ms: 0 }, startBy } });
    expect(response.status()).toBe(202);
    job = (await response.json()) as JobStatus;
    expect(job.startBy).toBe(startBy);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  } finally {
    expect((await pause(false)).status()).toBe(200);
  }
  const cancelled = await jobsApi.waitForState(job.id, ["cancelled", "succeeded"], 15_000);
  expect(cancelled).toMatchObject({ state: "cancelled", cancelledBy: "startBy" });
  expect(cancelled.message).toMatch(/^Not started by \d{4}-\d\d-\d\dT[\d:.]+Z, as its submitter asked: cancelled$/);
  const [entry] = await sql`select count(*)::int as n from graphile_worker._private_jobs where key = ${job.id}`;
  expect(entry?.n).toBe(0);
});
