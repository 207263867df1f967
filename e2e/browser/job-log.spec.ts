import { readFile } from "node:fs/promises";
import { expect, signIn, test } from "../support/fixtures";

test("the job page shows the job's log live, in order, with levels; narrows to an attempt; downloads it", async ({
  browser,
  owner,
  jobsApi,
}) => {
  const context = await browser.newContext();
  try {
    await signIn(context, owner);
    const page = await context.newPage();
    // It fails its first attempt at step 2, then runs all five steps.
    const job = await jobsApi.submitAccepted("demo.steps", {
      steps: 5,
      stepMs: 700,
      failAtStep: 2,
      failingAttempts: 1,
    });
    await page.goto(`/jobs/${job.id}`);
    const log = page.getByRole("log", { name: "Job log" });
    const lines = log.getByTestId("log-line");

    // Lines arrive while the job runs, before it has finished.
    await expect(lines.first()).toContainText("Running 5 steps of 700 ms");
    await expect(lines.filter({ hasText: "Step 1 of 5 done" }).first()).toBeVisible();
    expect((await jobsApi.waitForState(job.id, ["queued", "running", "succeeded"])).state).not.toBe("succeeded");

    await jobsApi.waitForState(job.id, ["succeeded"], 45_000);
    await expect(lines.last()).toContainText("All 5 steps done");
    const texts = await lines.locator(".log-message").allTextContents();
    expect(texts.slice(0, 3)).toEqual([
      "Running 5 steps of 700 ms",
      "Step 1 of 5 done",
      "Step 2 failed, as failAtStep asked",
    ]);
    expect(texts.indexOf("Step 2 failed, as failAtStep asked")).toBeLessThan(texts.indexOf("Step 5 of 5 done"));
    // Level badges.
    await expect(lines.filter({ hasText: "Step 2 failed" }).locator(".log-level")).toHaveText("error");
    await expect(lines.first().locator(".log-level")).toHaveText("info");
    await page.screenshot({ path: "test-results/job-log.png", fullPage: true });

    // The second attempt alone.
    await page.getByLabel("Attempt").selectOption("2");
    await expect(lines.first()).toContainText("Running 5 steps of 700 ms");
    await expect(lines.filter({ hasText: "failed" })).toHaveCount(0);
    await expect(lines).toHaveCount(7);
    // Errors only, across attempts.
    await page.getByLabel("Attempt").selectOption("");
    await page.getByLabel("Level").selectOption("error");
    await expect(lines).toHaveCount(1);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`job-${job.id}-log.txt`);
    const text = await readFile((await download.path()) ?? "", "utf8");
    expect(text).toMatch(/ERROR \[attempt 1\] Step 2 failed, as failAtStep asked/);
  } finally {
    await context.close();
  }
});

test("the admin job page shows the same log", async ({ adminPage, jobsApi }) => {
  const job = await jobsApi.submitAccepted("demo.steps", { steps: 2, stepMs: 0 });
  await jobsApi.waitForState(job.id, ["succeeded"]);
  await adminPage.goto(`/admin/jobs/${job.id}`);
  const lines = adminPage.getByRole("log", { name: "Job log" }).getByTestId("log-line");
  await expect(lines).toHaveCount(4);
  await expect(lines.last()).toContainText("All 2 steps done");
  await adminPage.screenshot({ path: "test-results/admin-job-log.png", fullPage: true });
});
