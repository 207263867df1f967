import { createApiUser } from "@/e2e/support/api-user";
import { AdminJobsPage } from "../pages/admin-jobs-page";
import { baseURL, expect, test } from "../support/fixtures";

// Each test opens the admin console in a browser context signed in as the first admin.

test("an admin filters to failed jobs, retries one and watches it succeed", async ({ adminPage, owner, sql }) => {
  // Seed: a job of the owner's that failed all three attempts, and whose next attempt will succeed.
  const [seeded] = await sql<{ id: string }[]>`
    insert into jobs (type, input, owner_id, state, attempts, max_attempts, attempt_errors, error, progress, message, started_at, finished_at)
    values ('demo.steps', ${sql.json({ steps: 3, stepMs: 300, failAtStep: 1, failingAttempts: 3 })}, ${owner.id}, 'failed', 3, 3,
      ${sql.json([1, 2, 3].map((attempt) => ({ attempt, message: "Step 1 of 3 failed (failAtStep was 1)", failedAt: new Date().toISOString(), durationMs: 300 })))},
      ${sql.json({ type: "/problems/job-failed", title: "The job failed", status: 500, detail: "Step 1 of 3 failed (failAtStep was 1)" })},
      0, 'Failed after 3 attempts', now(), now())
    returning id`;
  const id = seeded?.id as string;

  const jobsPage = new AdminJobsPage(adminPage);
  await jobsPage.goto();
  await jobsPage.filterBy({ state: "failed", owner: owner.email });
  await expect(adminPage).toHaveURL(/state=failed/);
  await expect(jobsPage.rows.first()).toBeVisible();
  for (const state of await jobsPage.rows.evaluateAll((rows) => rows.map((row) => row.getAttribute("data-state")))) {
    expect(state).toBe("failed");
  }
  const row = jobsPage.row(id);
  await expect(row).toContainText(owner.email);
  await adminPage.screenshot({ path: "test-results/admin-failed-filter.png", fullPage: true });

  await row.getByRole("link", { name: "Demo: steps" }).click();
  await expect(adminPage).toHaveURL(new RegExp(`/admin/jobs/${id}$`));
  await expect(adminPage.getByTestId("job-owner")).toHaveText(owner.email);
  await adminPage.getByRole("button", { name: "Retry" }).click();
  await expect(adminPage.locator(".detail-head .badge")).toHaveText("Succeeded", { timeout: 30_000 });
  await expect(adminPage.getByRole("progressbar", { name: "Progress of Demo: steps" })).toHaveAttribute(
    "aria-valuenow",
    "100",
  );
  // The timeline shows the retry and the run that followed it.
  await expect(adminPage.getByTestId("timeline-event").last()).toContainText("Succeeded");
  await expect(adminPage.getByTestId("timeline-event").filter({ hasText: "retried after failed" })).toHaveCount(1);
  await adminPage.screenshot({ path: "test-results/admin-job-retried.png", fullPage: true });

  // …and the audit log names who did it.
  await adminPage.getByRole("link", { name: "Audit log" }).click();
  const entry = adminPage.getByTestId("audit-row").filter({ hasText: id.slice(0, 8) });
  await expect(entry).toContainText("retry");
  await expect(entry).toContainText(process.env.ACCEPTED_ADMIN_EMAIL as string);
});

test("a bulk cancel of everything matching shows its own progress", async ({ adminPage, playwright }) => {
  // A user whose many long jobs fill the queue.
  const busy = await createApiUser(baseURL, "busy");
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: busy.headers });
  const ids: string[] = [];
  try {
    for (let i = 0; i < 120; i++) {
      const response = await api.post("/api/jobs", {
        data: { type: "demo.steps", input: { steps: 30, stepMs: 1000 } },
      });
      ids.push(((await response.json()) as { id: string }).id);
    }
  } finally {
    await api.dispose();
  }

  const jobsPage = new AdminJobsPage(adminPage);
  await jobsPage.goto();
  await jobsPage.filterBy({ owner: busy.email });
  await expect(jobsPage.rows).toHaveCount(50); // the first page of 120
  await jobsPage.bulk("Cancel", "all matching");

  await expect(jobsPage.bulkProgress).toBeVisible();
  const bar = jobsPage.bulkProgress.getByRole("progressbar", { name: "Progress of the bulk action" });
  await expect(bar).toHaveAttribute("aria-valuenow", "100", { timeout: 60_000 });
  await expect(jobsPage.bulkProgress).toContainText("120 cancelled, 0 skipped");
  await expect(jobsPage.bulkProgress.locator(".badge")).toHaveText("Succeeded");
  // The table, refreshed by the pushed changes, shows every row cancelled.
  await expect(jobsPage.rows.filter({ has: adminPage.locator('.badge[data-state="cancelled"]') })).toHaveCount(50);
  await adminPage.screenshot({ path: "test-results/admin-bulk-cancel.png", fullPage: true });
});

test("the overview shows counts, the last hour and the live workers", async ({ adminPage }) => {
  await adminPage.goto("/admin");
  await expect(adminPage.getByTestId("count-succeeded")).toContainText(/\d+/);
  await expect(adminPage.getByRole("img", { name: /Throughput per minute/ })).toBeVisible();
  await expect(adminPage.getByTestId("worker-row").first()).toBeVisible();
  await adminPage.screenshot({ path: "test-results/admin-overview.png", fullPage: true });
});
