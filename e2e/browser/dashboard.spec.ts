import { readFile } from "node:fs/promises";
import { DashboardPage } from "../pages/dashboard-page";
import { expect, test } from "../support/fixtures";

test.describe("dashboard", () => {
  test("a started job's bar rises to 100 and its result can be opened", async ({ page }) => {
    const dashboard = new DashboardPage(page);
    await dashboard.goto();

    const job = await dashboard.start("Demo: steps", { Steps: "6", "Step duration": "600" });
    const seen = await job.watchProgressToCompletion();

    // The bar moved through intermediate values, never backwards.
    expect(seen.filter((value) => value > 0 && value < 100).length).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    await expect(job.badge).toHaveText("Succeeded");
    await expect(job.message).toHaveText("Step 6 of 6");

    const result = job.root.getByRole("link", { name: "View result" });
    await expect(result).toHaveAttribute("href", `/api/jobs/${job.id}/result`);
  });

  test("a running job shows its progress message and time left", async ({ page }) => {
    const dashboard = new DashboardPage(page);
    await dashboard.goto();

    const job = await dashboard.start("Demo: steps", { Steps: "10", "Step duration": "1000" });
    await expect(job.badge).toHaveText("Running");
    await expect(job.message).toHaveText(/Step \d+ of 10 · (About \d+ seconds? left|Almost done)/);
    await page.screenshot({ path: "test-results/dashboard-running.png", fullPage: true });
  });

  test("an export downloads as a CSV file of the job history", async ({ page }) => {
    const dashboard = new DashboardPage(page);
    await dashboard.goto();
    const done = await dashboard.start("Demo: steps", { Steps: "1", "Step duration": "0" });
    await expect(done.badge).toHaveText("Succeeded");

    const job = await dashboard.start("Export job history", { State: "succeeded" });
    await expect(job.badge).toHaveText("Succeeded", { timeout: 20_000 });

    const downloading = page.waitForEvent("download");
    await job.root.getByRole("link", { name: /Download CSV/ }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`jobs-export-${job.id}.csv`);
    const lines = (await readFile(await download.path(), "utf8")).trim().split("\n");
    expect(lines[0]).toBe("id,type,state,progress,message,attempts,created_at,started_at,finished_at,error");
    expect(lines.some((line) => line.startsWith(`${done.id},demo.steps,succeeded,100,`))).toBe(true);
    await expect(job.message).toHaveText(/^Exported \d+ jobs?$/);
  });

  test("a failing job shows its error and its attempts", async ({ page }) => {
    test.slow(); // three attempts with graphile-worker's backoff between them
    const dashboard = new DashboardPage(page);
    await dashboard.goto();

    const job = await dashboard.start("Demo: steps", { Steps: "2", "Step duration": "50", "Fail at step": "1" });
    await expect(job.badge).toHaveText("Failed", { timeout: 45_000 });
    await expect(job.root.getByRole("alert")).toHaveText("The job failed: Step 1 of 2 failed (failAtStep was 1)");
    await page.screenshot({ path: "test-results/dashboard-failed.png", fullPage: true });

    await job.root.getByRole("link", { name: "Demo: steps" }).click();
    await expect(page).toHaveURL(`/jobs/${job.id}`);
    await expect(page.getByRole("heading", { name: "Failed attempts" })).toBeVisible();
    await expect(page.getByRole("listitem").filter({ hasText: "Attempt 3" })).toContainText("failAtStep was 1");
    await expect(page.getByText("3 of 3")).toBeVisible();
    await page.screenshot({ path: "test-results/job-failed.png", fullPage: true });
  });

  test("input the server rejects is shown next to its field", async ({ page }) => {
    const dashboard = new DashboardPage(page);
    await dashboard.goto();

    await dashboard.chooseType("Demo: steps");
    await dashboard.fill({ Steps: "2", "Fail at step": "5" });
    await dashboard.startButton.click();
    await expect(page.getByText("failAtStep must not be greater than steps")).toBeVisible();
  });
});

test("the job page follows a job to its end", async ({ page }) => {
  const dashboard = new DashboardPage(page);
  await dashboard.goto();
  const job = await dashboard.start("Demo: steps", { Steps: "4", "Step duration": "500" });

  await job.root.getByRole("link", { name: "Demo: steps" }).click();
  await expect(page).toHaveURL(`/jobs/${job.id}`);
  const bar = page.getByRole("progressbar");
  await expect(bar).toHaveAttribute("aria-valuenow", "100", { timeout: 20_000 });
  await expect(page.locator(".badge")).toHaveText("Succeeded");
  await expect(page.getByRole("link", { name: "View result" })).toBeVisible();
  await page.screenshot({ path: "test-results/job-succeeded.png", fullPage: true });
});

test("Cancel stops a running job and Retry runs a failed one again", async ({ page }) => {
  test.slow();
  const dashboard = new DashboardPage(page);
  await dashboard.goto();

  const running = await dashboard.start("Demo: steps", { Steps: "20", "Step duration": "500", "Fail at step": "" });
  await expect(running.badge).toHaveText("Running");
  await running.root.getByRole("button", { name: "Cancel" }).click();
  await expect(running.badge).toHaveText("Cancelled");
  await expect(running.message).toHaveText("Cancelled");
  await expect(running.root.getByRole("button", { name: "Cancel" })).toHaveCount(0);
  await page.screenshot({ path: "test-results/dashboard-cancelled.png" });

  const failing = await dashboard.start("Demo: steps", { Steps: "2", "Step duration": "10", "Fail at step": "1" });
  await expect(failing.badge).toHaveText("Failed", { timeout: 45_000 });
  await failing.root.getByRole("button", { name: "Retry" }).click();
  await expect(failing.badge).not.toHaveText("Failed");
  await expect(failing.root.locator(".job-meta")).toContainText(/attempt [4-6] of 6/, { timeout: 30_000 });
});
