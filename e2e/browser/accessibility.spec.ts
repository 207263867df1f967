import AxeBuilder from "@axe-core/playwright";
import { test as base, type Page } from "@playwright/test";
import { baseURL, expect, JobsApi, signIn, test } from "../support/fixtures";

// WCAG 2.1 A and AA, as axe-core knows them.
const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** The page's WCAG 2.1 AA violations, one line each (empty when it passes). */
async function audit(page: Page, path: string): Promise<string[]> {
  await page.goto(path);
  await page.waitForLoadState("networkidle").catch(() => {}); // live pages keep a stream open
  await expect(page.locator("main").first()).toBeVisible();
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  return violations.map(
    (violation) =>
      `${path}: ${violation.id} (${violation.impact}) ×${violation.nodes.length}: ${violation.nodes
        .slice(0, 3)
        .map((node) => node.target.join(" "))
        .join(" | ")}`,
  );
}

base("the signed-out pages pass an axe WCAG 2.1 AA audit", async ({ page }) => {
  const found: string[] = [];
  for (const path of ["/sign-in", "/sign-up", "/docs/api"]) found.push(...(await audit(page, path)));
  expect(found).toEqual([]);
});

test("every signed-in page passes an axe WCAG 2.1 AA audit, a user's and an admin's", async ({
  page,
  request,
  browser,
  admin,
}) => {
  test.slow();
  const jobs = new JobsApi(request);
  const failed = await jobs.submitAccepted("demo.steps", { steps: 1, stepMs: 0, failAtStep: 1, failingAttempts: 9 });
  await jobs.submitAccepted("demo.steps", { steps: 3, stepMs: 200 });
  await jobs.waitForState(failed.id, ["failed"], 60_000);
  // An endpoint whose ping nobody answers (port 9, discard): its page shows a failing endpoint's log.
  const created = await request.post("/api/webhooks", { data: { url: "http://127.0.0.1:9/hook" } });
  expect(created.status()).toBe(201);
  const { endpoint } = await created.json();
  // A schedule on its page (one that fires on weekdays at 09:00: its next firings are listed, its runs not yet).
  const scheduled = await request.post("/api/schedules", {
    data: { type: "demo.steps", input: { steps: 1, stepMs: 0 }, cron: "0 9 * * MON-FRI", timezone: "Europe/Paris" },
  });
  expect(scheduled.status()).toBe(201);
  const schedule = await scheduled.json();
  const found: string[] = [];
  for (const path of [
    "/",
    `/jobs/${failed.id}`,
    "/schedules",
    "/mailbox",
    "/settings/tokens",
    "/settings/webhooks",
    `/settings/webhooks/${endpoint.id}`,
  ])
    found.push(...(await audit(page, path)));
  expect((await request.delete(`/api/webhooks/${endpoint.id}`)).status()).toBe(204);
  expect((await request.delete(`/api/schedules/${schedule.id}`)).status()).toBe(204);

  const context = await browser.newContext({ baseURL });
  await signIn(context, admin);
  const adminPage = await context.newPage();
  for (const path of [
    "/admin",
    "/admin/jobs",
    "/admin/jobs?state=failed",
    `/admin/jobs/${failed.id}`,
    "/admin/audit",
    "/admin/webhooks",
  ]) {
    found.push(...(await audit(adminPage, path)));
  }
  await context.close();
  expect(found).toEqual([]);
});
