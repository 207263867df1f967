import type { APIRequestContext } from "@playwright/test";
import { baseURL, expect, type JobStatus, test } from "../support/fixtures";

const DAY_MS = 86_400_000;

// Purging early is for admins; every test here may need one.
const retentionTest = test.extend<{ adminApi: APIRequestContext }>({
  adminApi: async ({ playwright, admin }, use) => {
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: admin.headers });
    await use(api);
    await api.dispose();
  },
});

retentionTest(
  "a finished job is kept for its type's retention: expiresAt is 7 days after it finished",
  async ({ jobsApi }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
    expect(job.expiresAt).toBeNull();
    const done = await jobsApi.waitForState(job.id, ["succeeded"]);
    expect(Date.parse(done.expiresAt as string) - Date.parse(done.finishedAt as string)).toBe(7 * DAY_MS);
    expect(done.expiredAt).toBeNull();
  },
);

retentionTest(
  "purged early by an admin: 410 Gone on the status URI and the result, the file deleted, audited",
  async ({ jobsApi, request, adminApi, admin, sql }) => {
    const job = await jobsApi.submitAccepted("jobs.export", {});
    await jobsApi.waitForState(job.id, ["succeeded"]);
    expect(await sql`select 1 from job_files where job_id = ${job.id}`).toHaveLength(1);
    // Only admins purge.
    expect((await request.post(`/api/admin/jobs/${job.id}/expire`)).status()).toBe(404);

    const purged = await adminApi.post(`/api/admin/jobs/${job.id}/expire`);
    expect(purged.status()).toBe(200);
    expect(((await purged.json()) as JobStatus).expiredAt).not.toBeNull();

    const status = await jobsApi.status(job.id);
    expect(status.status()).toBe(410);
    expect(status.headers()["content-type"]).toContain("application/problem+json");
    expect(await status.json()).toMatchObject({
      type: "/problems/job-expired",
      status: 410,
      jobId: job.id,
      state: "succeeded",
    });
    const result = await request.get(`/api/jobs/${job.id}/result`);
    expect(result.status()).toBe(410);
    // The UI's view still reads the record, marked expired and without a result.
    const record = (await (await jobsApi.status(job.id, { redirect: false })).json()) as JobStatus;
    expect(record).toMatchObject({ state: "succeeded", result: null });
    expect(record.expiredAt).not.toBeNull();
    expect(record.links.result).toBeUndefined();

    expect(await sql`select 1 from job_files where job_id = ${job.id}`).toHaveLength(0);
    const audit = await sql`select action, actor_email from audit_log where ${job.id}::uuid = any(job_ids)`;
    expect(audit).toEqual([{ action: "expire", actor_email: admin.email }]);
    // Again is harmless.
    expect((await adminApi.post(`/api/admin/jobs/${job.id}/expire`)).status()).toBe(200);
  },
);

retentionTest("a job still running cannot be purged: 409", async ({ jobsApi, adminApi, request }) => {
  const job = await jobsApi.submitAccepted("demo.steps", { steps: 20, stepMs: 200 });
  const response = await adminApi.post(`/api/admin/jobs/${job.id}/expire`);
  expect(response.status()).toBe(409);
  await request.delete(`/api/jobs/${job.id}`);
});

retentionTest("the scheduled purge expires the jobs whose time has come, and only those", async ({ jobsApi, sql }) => {
  const due = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
  const kept = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
  await jobsApi.waitForState(due.id, ["succeeded"]);
  await jobsApi.waitForState(kept.id, ["succeeded"]);
  await sql`update jobs set expires_at = now() - interval '1 second' where id = ${due.id}`;

  // What graphile-worker's cron queues every ten minutes, queued now.
  await sql`select graphile_worker.add_job('accepted:purge-expired')`;
  await expect.poll(async () => (await jobsApi.status(due.id)).status(), { timeout: 30_000 }).toBe(410);
  expect((await jobsApi.status(kept.id)).status()).toBe(303);
  const [row] = await sql`select result, expired_at from jobs where id = ${due.id}`;
  expect(row?.result).toBeNull();
  expect(row?.expired_at).not.toBeNull();
});
