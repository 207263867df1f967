import { runExactlyOnce } from "@/e2e/support/exactly-once";
import { baseURL, expect, test } from "../support/fixtures";

test("2,000 jobs submitted concurrently over HTTP all succeed, each side effect exactly once", async ({
  sql,
  owner,
  admin,
  playwright,
}) => {
  test.setTimeout(300_000);
  // The point is the load: the owner's cap on unfinished jobs must not turn submits away.
  const adminApi = await playwright.request.newContext({ baseURL, extraHTTPHeaders: admin.headers });
  await adminApi.put(`/api/admin/users/${owner.id}/job-cap`, { data: { maxUnfinishedJobs: 10_000 } });
  const figures = await runExactlyOnce({
    baseUrl: baseURL,
    headers: owner.headers,
    sql,
    count: 2_000,
    concurrency: 50,
    timeoutMs: 240_000,
  }).finally(async () => {
    await adminApi.put(`/api/admin/users/${owner.id}/job-cap`, { data: { maxUnfinishedJobs: null } });
    await adminApi.dispose();
  });
  console.log(`exactly-once, 2,000 jobs: ${JSON.stringify(figures)}`);

  expect(figures).toMatchObject({
    submitted: 2_000,
    rejected: 0,
    succeeded: 2_000,
    notSucceeded: 0,
    effects: 2_000,
    jobsWithoutEffect: 0,
    jobsWithDuplicateEffects: 0,
  });
});
