import { test as visitorTest } from "@playwright/test";
import { expect } from "../support/fixtures";

// The reference is public, like /api/openapi.json: a visitor reads it signed out.
visitorTest("the API reference renders every operation, each job type's input and the answers", async ({ page }) => {
  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { name: "HTTP API reference" })).toBeVisible();
  const submit = page.locator('[id="post-/api/jobs"]');
  await expect(submit).toContainText('"type": "email.bulk"');
  await expect(submit).toContainText("an upload id (text/csv)");
  await expect(submit).toContainText("Result: none; success is a 200 on the status URI.");
  const monitor = page.locator('[id="get-/api/jobs/{id}"]');
  for (const status of ["200", "303", "304", "401", "404", "410"]) {
    await expect(monitor.getByRole("cell", { name: status, exact: true })).toBeVisible();
  }
  await page.screenshot({ path: "test-results/api-reference.png", fullPage: true });
});
