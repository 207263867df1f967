import type { Page } from "@playwright/test";
import { createApiUser } from "@/e2e/support/api-user";
import { DashboardPage } from "../pages/dashboard-page";
import { baseURL, expect, signIn, test } from "../support/fixtures";

// The admin works in a browser context of their own, beside the user's page.

const typeRow = (adminPage: Page, type: string) => adminPage.locator(`[data-testid="type-row"][data-type="${type}"]`);

test("an admin pauses a job type: the user's new job shows as paused, and runs when the admin resumes", async ({
  adminPage,
  page,
  playwright,
  admin,
}) => {
  test.setTimeout(90_000);
  try {
    await adminPage.goto("/admin");
    const demo = typeRow(adminPage, "demo.steps");
    await demo.getByRole("button", { name: "Pause Demo: steps" }).click();
    await expect(demo).toHaveAttribute("data-paused", "true");
    await expect(demo.getByRole("button", { name: "Resume Demo: steps" })).toBeVisible();

    const dashboard = new DashboardPage(page);
    await dashboard.goto();
    const card = await dashboard.start("Demo: steps", { Steps: "2", "Step duration": "300" });
    await expect(card.badge).toHaveText("Paused");
    await expect(card.message).toContainText("Paused by an administrator");
    await page.screenshot({ path: "test-results/fair-paused-dashboard.png", fullPage: true });
    await expect(demo).toContainText("1"); // its queued count, once the overview refreshes
    await adminPage.screenshot({ path: "test-results/fair-paused-admin.png", fullPage: true });

    await demo.getByRole("button", { name: "Resume Demo: steps" }).click();
    await expect(demo).toHaveAttribute("data-paused", "false");
    // The user's page hears it: the job runs and finishes, with no reload.
    await expect(card.badge).toHaveText("Succeeded", { timeout: 20_000 });
  } finally {
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: admin.headers });
    await api.patch("/api/admin/job-types/demo.steps", { data: { paused: false } });
    await api.dispose();
  }
});

test("an admin caps a user at one unfinished job: the dashboard says so, and a second job is refused in plain words", async ({
  adminPage,
  browser,
}) => {
  test.setTimeout(90_000);
  const user = await createApiUser(baseURL, "capped");
  const context = await browser.newContext();
  await signIn(context, user);
  const userPage = await context.newPage();
  try {
    const dashboard = new DashboardPage(userPage);
    await dashboard.goto();
    await expect(userPage.getByTestId("usage")).toHaveText("0 of at most 1,000 unfinished jobs");
    const long = await dashboard.start("Demo: steps", { Steps: "20", "Step duration": "1000" });

    await adminPage.goto("/admin");
    const row = adminPage.locator(`[data-testid="owner-row"][data-owner="${user.email}"]`);
    await expect(row).toBeVisible({ timeout: 15_000 });
    await row.getByLabel(`Cap on unfinished jobs of ${user.email}`).fill("1");
    await row.getByRole("button", { name: "Set cap" }).click();
    await expect(row.getByLabel(`Cap on unfinished jobs of ${user.email}`)).toHaveValue("1");
    await adminPage.screenshot({ path: "test-results/fair-owner-caps.png", fullPage: true });

    await expect(userPage.getByTestId("usage")).toContainText("You have 1 unfinished job, the most you may have", {
      timeout: 15_000,
    });
    await dashboard.chooseType("Demo: steps");
    const refused = userPage.waitForResponse(
      (response) => response.url().endsWith("/api/jobs") && response.request().method() === "POST",
    );
    await dashboard.startButton.click();
    expect((await refused).status()).toBe(429);
    await expect(dashboard.form.getByRole("alert")).toContainText(
      "You have 1 unfinished job, and 1 is the most you may have at once",
    );
    // Said once: the line under the button now only counts.
    await expect(userPage.getByTestId("usage")).toHaveText("1 of at most 1 unfinished job");
    await userPage.screenshot({ path: "test-results/fair-cap-refused.png", fullPage: true });
    await expect(dashboard.jobCards).toHaveCount(1);

    // Cancelling frees the place: the next job is accepted.
    await long.root.getByRole("button", { name: "Cancel" }).click();
    await expect(long.badge).toHaveText("Cancelled");
    await expect(userPage.getByTestId("usage")).toHaveText("0 of at most 1 unfinished job", { timeout: 15_000 });
    await dashboard.start("Demo: steps", { Steps: "1", "Step duration": "0" });
  } finally {
    await context.close();
  }
});
