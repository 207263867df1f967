import type { BatchStatus } from "@/lib/jobs/batch-status";
import { DashboardPage } from "../pages/dashboard-page";
import { expect, test } from "../support/fixtures";

test("a batch is one row on the dashboard, with its own bar, that opens to its jobs", async ({ page, request }) => {
  test.setTimeout(90_000);
  const dashboard = new DashboardPage(page);
  await dashboard.goto();
  const accepted = await request.post("/api/batches", {
    data: { jobs: Array.from({ length: 30 }, () => ({ type: "demo.steps", input: { steps: 4, stepMs: 500 } })) },
  });
  expect(accepted.status()).toBe(202);
  const batch = (await accepted.json()) as BatchStatus;

  // It appears without a reload (pushed), as one row, and none of its jobs is listed on its own.
  const row = page.locator(`[data-testid="batch-card"][data-batch-id="${batch.id}"]`);
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row.locator(".job-title")).toHaveText("Batch of 30 jobs");
  await expect(row.getByTestId("batch-counts")).toContainText("running", { timeout: 15_000 });
  const bar = row.getByRole("progressbar", { name: "Progress of the batch of 30 jobs" });
  await expect
    .poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 20_000 })
    .toBeGreaterThan(0);
  await page.screenshot({ path: "test-results/batch-running.png", fullPage: true });
  const listed = await dashboard.jobCards.evaluateAll((cards) => cards.map((card) => card.getAttribute("data-job-id")));
  const [firstJob] = (
    (await (await request.get(`/api/jobs?batch=${batch.id}&limit=1`)).json()) as { items: { id: string }[] }
  ).items;
  expect(listed).not.toContain(firstJob?.id);

  await row.getByRole("button", { name: "Show its jobs" }).click();
  await expect(row.getByTestId("job-card")).toHaveCount(30);
  await expect(row.getByText("30 succeeded")).toBeVisible({ timeout: 60_000 });
  await expect(row.locator(".badge").first()).toHaveText("Finished");
  await expect(bar).toHaveAttribute("aria-valuenow", "100");
  await page.screenshot({ path: "test-results/batch-finished.png", fullPage: true });
});
