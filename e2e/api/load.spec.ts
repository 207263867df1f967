import { runExactlyOnce } from "@/e2e/support/exactly-once";
import { baseURL, expect, test } from "../support/fixtures";

test("2,000 jobs submitted concurrently over HTTP all succeed, each side effect exactly once", async ({
  sql,
  owner,
}) => {
  test.setTimeout(300_000);
  const figures = await runExactlyOnce({
    baseUrl: baseURL,
    headers: owner.headers,
    sql,
    count: 2_000,
    concurrency: 50,
    timeoutMs: 240_000,
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
