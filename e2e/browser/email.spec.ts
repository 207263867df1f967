import { DashboardPage } from "../pages/dashboard-page";
import { baseURL, expect, test } from "../support/fixtures";

test("a bulk email started from the dashboard with an uploaded CSV lands in the mailbox", async ({ page }) => {
  const dashboard = new DashboardPage(page);
  await dashboard.goto();
  await dashboard.chooseType("Bulk email from a CSV");
  await dashboard.form.getByLabel(/^Recipients/).setInputFiles({
    name: "team.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("email,name\nmarie@example.com,Marie\nnobody,Nobody\npierre@example.com,Pierre\n"),
  });
  await dashboard.fill({ Subject: "Welcome, {{name}}", Message: "Hello {{name}}, welcome aboard." });
  await page.screenshot({ path: "test-results/email-form.png" });
  const card = await dashboard.start("Bulk email from a CSV");
  await expect(card.badge).toHaveText("Succeeded", { timeout: 30_000 });
  await expect(card.message).toHaveText("2 sent, 1 skipped, 0 failed");
  await expect(card.root.getByRole("link", { name: /Download CSV/ })).toBeVisible();

  await page.getByRole("link", { name: "Mailbox" }).click();
  const messages = page.getByTestId("mailbox-message");
  await expect(messages.filter({ hasText: "Welcome, Pierre" })).toHaveCount(1);
  await messages.filter({ hasText: "Welcome, Marie" }).click();
  await expect(page.getByTestId("message-to")).toHaveText("marie@example.com");
  await expect(page.getByTestId("message-body")).toHaveText("Hello Marie, welcome aboard.");
  await page.screenshot({ path: "test-results/mailbox.png", fullPage: true });
});

test("a file the upload check rejects is shown next to the file field, and no job starts", async ({ page }) => {
  const dashboard = new DashboardPage(page);
  await dashboard.goto();
  await dashboard.chooseType("Bulk email from a CSV");
  await dashboard.form.getByLabel(/^Recipients/).setInputFiles({
    name: "wrong.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("name,phone\nAda,123\n"),
  });
  await dashboard.fill({ Subject: "Hi", Message: "Hi" });
  await dashboard.startButton.click();
  await expect(dashboard.form.locator(".field-error")).toHaveText(
    'The first row must name the columns, one of them "email".',
  );
});

test("an expired job shows as expired, without its result", async ({ page, jobsApi, admin, playwright }) => {
  const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
  await jobsApi.waitForState(job.id, ["succeeded"]);
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: admin.headers });
  expect((await api.post(`/api/admin/jobs/${job.id}/expire`)).status()).toBe(200);
  await api.dispose();

  const dashboard = new DashboardPage(page);
  await dashboard.goto();
  const card = dashboard.card(job.id);
  await expect(card.badge).toHaveText("Expired");
  await expect(card.message).toContainText("its result was deleted");
  await expect(card.root.getByRole("link", { name: "View result" })).toHaveCount(0);
  await card.root.screenshot({ path: "test-results/expired-card.png" });
});
