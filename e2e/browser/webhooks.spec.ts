import { DashboardPage } from "../pages/dashboard-page";
import { WebhooksPage } from "../pages/webhooks-page";
import { expect, test } from "../support/fixtures";
import { WebhookReceiver } from "../support/webhook-receiver";

let receiver: WebhookReceiver;

test.beforeAll(async () => {
  receiver = await WebhookReceiver.start();
});

test.afterAll(async () => {
  await receiver.stop();
});

test.beforeEach(async ({ request }) => {
  // The owner is shared with the specs before this one: a job of theirs still
  // running would finish into this test's endpoint and take its receiver's
  // scripted answers. Let them finish first.
  const unfinished = async () => {
    let count = 0;
    for (const state of ["queued", "running"]) {
      const { items } = (await (await request.get(`/api/jobs?state=${state}`)).json()) as { items: unknown[] };
      count += items.length;
    }
    return count;
  };
  await expect.poll(unfinished, { timeout: 30_000 }).toBe(0);
});

test.afterEach(async ({ request }) => {
  // The owner's endpoints hear every job they start: none outlives its test.
  const { items } = (await (await request.get("/api/webhooks")).json()) as { items: { id: string }[] };
  for (const { id } of items) await request.delete(`/api/webhooks/${id}`);
});

test('ticking "email me when it is done" puts a message with the job\'s link in the mailbox', async ({
  page,
  owner,
}) => {
  const dashboard = new DashboardPage(page);
  await dashboard.goto();
  await dashboard.chooseType("Demo: steps");
  await dashboard.fill({ Steps: "2", "Step duration": "100" });
  await dashboard.form.getByRole("checkbox", { name: "Email me when it is done" }).check();
  await page.screenshot({ path: "test-results/notify-when-done-form.png" });
  const card = await dashboard.start("Demo: steps");
  await expect(card.badge).toHaveText("Succeeded", { timeout: 30_000 });

  await page.getByRole("link", { name: "Mailbox" }).click();
  const message = page.getByTestId("mailbox-message").filter({ hasText: "Demo: steps is done" });
  await expect(message).toHaveCount(1, { timeout: 15_000 });
  await message.click();
  await expect(page.getByTestId("message-to")).toHaveText(owner.email);
  await expect(page.getByTestId("message-body")).toContainText(`/jobs/${card.id}`);
  await page.screenshot({ path: "test-results/notify-when-done-mailbox.png", fullPage: true });
  await page.getByRole("link", { name: `job ${card.id.slice(0, 8)}` }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${card.id}$`));
});

test("an endpoint added in settings gets a test event and a job's completion, both in its delivery log", async ({
  page,
}) => {
  const webhooks = new WebhooksPage(page);
  await webhooks.goto();
  const url = receiver.url("/browser");
  const secret = await webhooks.add(url, { description: "My receiver" });
  expect(secret).toMatch(/^whsec_/);
  await expect(page.getByRole("status")).toContainText("answered the ping with 200");
  await expect(webhooks.endpointRows.filter({ hasText: url })).toContainText("Enabled");
  await page.screenshot({ path: "test-results/webhooks-settings.png", fullPage: true });

  await webhooks.open(url);
  await page.getByRole("button", { name: "Send a test event" }).click();
  const testRow = webhooks.deliveryRows.filter({ hasText: "webhook.test" });
  await expect(testRow).toHaveAttribute("data-state", "delivered", { timeout: 15_000 });
  await expect(testRow.getByTestId("delivery-attempt")).toContainText("200");

  // A job that finishes: its message is in the log here and on the job's page.
  receiver.answerNext({ status: 500, body: "try again" });
  const dashboard = new DashboardPage(page);
  await dashboard.goto();
  const card = await dashboard.start("Demo: steps", { Steps: "1", "Step duration": "0" });
  await expect(card.badge).toHaveText("Succeeded", { timeout: 30_000 });
  await page.goto(`/jobs/${card.id}`);
  const jobRow = webhooks.deliveryRows.filter({ hasText: "job.succeeded" });
  await expect(jobRow).toHaveAttribute("data-state", "delivered", { timeout: 20_000 });
  await expect(jobRow.getByTestId("delivery-attempt")).toHaveCount(2);
  await expect(jobRow.getByTestId("delivery-attempt").first()).toContainText("500");
  await expect(jobRow.getByTestId("delivery-attempt").first()).toContainText("try again");
  await page.screenshot({ path: "test-results/webhooks-job-deliveries.png", fullPage: true });

  // Redeliver from the log: the receiver gets the same message again.
  const before = receiver.forJob(card.id).length;
  await jobRow.getByRole("button", { name: "Redeliver" }).click();
  await expect.poll(() => receiver.forJob(card.id).length).toBe(before + 1);
  const got = receiver.forJob(card.id);
  expect(got.at(-1)?.headers["webhook-id"]).toBe(got[0]?.headers["webhook-id"]);
});

test("the admin console lists every user's deliveries, with whose endpoint each is", async ({
  adminPage,
  request,
  owner,
}) => {
  const created = await request.post("/api/webhooks", { data: { url: receiver.url("/admin-view") } });
  expect(created.status()).toBe(201);
  const { endpoint } = await created.json();
  expect((await request.post(`/api/webhooks/${endpoint.id}/test`)).status()).toBe(202);
  await adminPage.goto("/admin/webhooks");
  const row = adminPage.getByTestId("delivery-row").filter({ hasText: receiver.url("/admin-view") });
  await expect(row.first()).toHaveAttribute("data-state", "delivered", { timeout: 15_000 });
  await expect(row.first().getByTestId("delivery-owner")).toHaveText(owner.email);
  await adminPage.screenshot({ path: "test-results/admin-webhooks.png", fullPage: true });
});
