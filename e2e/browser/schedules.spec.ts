import type { APIRequestContext, Page } from "@playwright/test";
import { DashboardPage } from "../pages/dashboard-page";
import { SchedulesPage } from "../pages/schedules-page";
import { expect, type JobStatus, test } from "../support/fixtures";

// Not the machine's zone (UTC here): the page must read the browser's.
const ZONE = "America/New_York";
test.use({ timezoneId: ZONE });

/** The owner's schedules, by the API. */
async function schedulesOf(request: APIRequestContext): Promise<{ id: string }[]> {
  const response = await request.get("/api/schedules");
  expect(response.status()).toBe(200);
  return ((await response.json()) as { items: { id: string }[] }).items;
}

// A schedule left firing would fill the owner's dashboard for the tests after: none outlives its test.
test.afterEach(async ({ request }) => {
  for (const { id } of await schedulesOf(request)) await request.delete(`/api/schedules/${id}`);
});

/** "17:31" for an instant, as the page's browser shows it in its own zone. */
const hourMinute = (page: Page, iso: string) =>
  page.evaluate(
    (iso) => new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
    iso,
  );

test.describe("schedules", () => {
  test("a schedule every 2 s shows its next firings and its runs arriving; paused it shows none; deleted it is gone", async ({
    page,
    request,
  }) => {
    const schedules = new SchedulesPage(page);
    await schedules.goto();
    await expect(schedules.form.getByLabel("Time zone")).toHaveValue(ZONE);

    const schedule = await schedules.create({
      type: "Demo: steps",
      input: '{"steps": 1, "stepMs": 10}',
      cron: "*/2 * * * * *",
    });
    await expect(schedule.badge).toHaveText("Active");
    await expect(schedule.root).toContainText(`*/2 * * * * * in ${ZONE}`);

    // Its next five firings, to the second, in the browser's time.
    await expect(schedule.upcoming).toHaveCount(5);
    await expect(schedule.upcoming.first()).toHaveText(/\d{2}:\d{2}:\d{2} · in (a moment|\d seconds?)$/);
    await expect(schedule.upcomingSection).toContainText(`Your time (${ZONE})`);
    const firstFiring = await schedule.upcoming.first().locator("time").getAttribute("datetime");
    expect(firstFiring).toMatch(/Z$/);
    await expect(schedule.upcoming.first()).toContainText(await hourMinute(page, firstFiring ?? ""));

    // Its runs arrive and finish while the page is open, each a link to its job.
    await expect.poll(() => schedule.runsIn("Succeeded").count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const run = schedule
      .runsIn("Succeeded")
      .first()
      .getByRole("link", { name: /^Run of / });
    await expect(run).toHaveAttribute("href", /^\/jobs\/[0-9a-f-]{36}$/);
    await expect(schedule.lastFiring).toContainText(/^Last fired .+: made a job \(its job\)\.$/);
    await page.screenshot({ path: "test-results/schedules-active.png", fullPage: true });

    await schedule.pause();
    await expect(schedule.upcoming).toHaveCount(0);
    await expect(schedule.upcomingSection).toContainText("None while paused");
    await schedule.resume();
    await expect(schedule.upcoming).toHaveCount(5);
    await schedule.pause();
    await page.screenshot({ path: "test-results/schedules-paused.png", fullPage: true });

    // A run's page says where it came from.
    const runHref = (await run.getAttribute("href")) ?? "";
    await run.click();
    await expect(page).toHaveURL(runHref);
    await expect(page.getByRole("link", { name: "From schedule" })).toHaveAttribute(
      "href",
      `/schedules#schedule-${schedule.id}`,
    );
    await page.goBack();

    await schedule.delete();
    expect((await request.get(`/api/schedules/${schedule.id}`)).status()).toBe(404);
  });

  test("a cron that cannot be read is shown on the form, and nothing is made", async ({ page, request }) => {
    const schedules = new SchedulesPage(page);
    await schedules.goto();
    const before = (await schedulesOf(request)).length;

    const { status } = await schedules.submit({
      type: "Demo: steps",
      input: '{"steps": 1, "stepMs": 10}',
      cron: "61 * * * *",
    });
    expect(status).toBe(422);
    await expect(schedules.form.getByRole("alert")).toHaveText("The cron expression cannot be read.");
    const cron = schedules.form.getByLabel("Cron expression");
    await expect(cron).toHaveAttribute("aria-invalid", "true");
    // The field's own error, in its hint's place, names what is wrong with it.
    await expect(cron).toHaveAccessibleDescription(/\S/);
    await expect(cron).not.toHaveAccessibleDescription(/Five fields/);
    await page.screenshot({ path: "test-results/schedules-bad-cron.png", fullPage: true });

    await expect(schedules.cards).toHaveCount(before);
    expect(await schedulesOf(request)).toHaveLength(before);

    // Input that is not JSON never leaves the page.
    await schedules.form.getByLabel("Input (JSON)").fill("{steps: 1}");
    await schedules.form.getByLabel("Cron expression").fill("0 9 * * MON-FRI");
    await schedules.createButton.click();
    await expect(schedules.form.getByLabel("Input (JSON)")).toHaveAccessibleDescription(/^Not JSON/);
    expect(await schedulesOf(request)).toHaveLength(before);
  });

  test('a job started "In 1 minute" waits on the dashboard as Scheduled, with its time', async ({ page, request }) => {
    const dashboard = new DashboardPage(page);
    await dashboard.goto();

    const job = await dashboard.start("Demo: steps", { Steps: "1", "Step duration": "10", Start: "In 1 minute" });
    await expect(job.badge).toHaveText("Scheduled");
    await expect(job.message).toHaveText(/^Scheduled for .+\d{2}:\d{2}:\d{2} · in (1 minute|\d+ seconds)$/);
    const status = (await (await request.get(`/api/jobs/${job.id}?redirect=false`)).json()) as JobStatus;
    expect(status.state).toBe("scheduled");
    const runAt = status.runAt ?? "";
    expect(Date.parse(runAt) - Date.parse(status.createdAt)).toBeGreaterThanOrEqual(59_000);
    await expect(job.message).toContainText(await hourMinute(page, runAt));
    await expect(page.getByRole("status").filter({ hasText: /^Scheduled for / })).toBeVisible();
    await page.screenshot({ path: "test-results/dashboard-scheduled.png", fullPage: true });

    await job.root.getByRole("button", { name: "Cancel" }).click();
    await expect(job.badge).toHaveText("Cancelled");
  });
});
