import { randomUUID } from "node:crypto";
import { test as base } from "@playwright/test";
import { AuthPages } from "../pages/auth-pages";
import { DashboardPage } from "../pages/dashboard-page";
import { baseURL, expect, signIn, test } from "../support/fixtures";

// These pages start signed out, as a new visitor's do.
const visitor = base;

visitor("a visitor is sent to sign in, signs up, lands where they were going, and signs out", async ({ page }) => {
  const auth = new AuthPages(page);
  await page.goto("/settings/tokens");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings%2Ftokens/);
  await expect(page.getByRole("heading", { name: "Sign in to Accepted" })).toBeVisible();
  await page.screenshot({ path: "test-results/sign-in.png" });

  await page.getByRole("link", { name: "Create an account" }).click();
  const user = { name: "Ada", email: `ada-${randomUUID().slice(0, 8)}@example.com`, password: "a long passphrase" };
  await auth.signUp(user);
  await expect(page).toHaveURL(/\/settings\/tokens$/);
  await expect(auth.signedInAs()).toHaveText(user.email);
  // Not an admin: no admin link, and the console is a 404.
  await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
  const adminPage = await page.goto("/admin");
  expect(adminPage?.status()).toBe(404);

  await page.goto("/");
  await auth.signOut();
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);

  // A wrong password is said so, and the right one lets them back in.
  await auth.signIn({ email: user.email, password: "not the password" });
  await expect(page.locator(".form-error")).toHaveText("Invalid email or password");
  await auth.signIn(user);
  await expect(auth.signedInAs()).toHaveText(user.email);
});

test("a token made on the tokens page works with curl-style requests until it is revoked", async ({
  page,
  playwright,
}) => {
  await page.goto("/settings/tokens");
  await page.getByLabel("Name").fill("laptop script");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await page.getByTestId("new-token").textContent();
  expect(token).toMatch(/^acc_/);
  await expect(page.getByTestId("token-row").filter({ hasText: "laptop script" })).toBeVisible();
  await page.screenshot({ path: "test-results/tokens.png" });

  const client = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { Authorization: `Bearer ${token}` },
  });
  try {
    expect((await client.get("/api/jobs")).status()).toBe(200);
    await page
      .getByTestId("token-row")
      .filter({ hasText: "laptop script" })
      .getByRole("button", { name: "Revoke" })
      .click();
    await expect(page.getByTestId("token-row").filter({ hasText: "laptop script" })).toHaveCount(0);
    expect((await client.get("/api/jobs")).status()).toBe(401);
  } finally {
    await client.dispose();
  }
});

test("a user cannot open another user's job by its URL", async ({ page, browser, stranger, jobsApi }) => {
  const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
  // The owner sees it…
  await page.goto(`/jobs/${job.id}`);
  await expect(page.getByRole("heading", { name: "Demo: steps" })).toBeVisible();

  // …the stranger, signed in in another browser, gets "not found", and it is not on their dashboard.
  const strangerContext = await browser.newContext();
  try {
    await signIn(strangerContext, stranger);
    const strangerPage = await strangerContext.newPage();
    await strangerPage.goto(`/jobs/${job.id}`);
    await expect(strangerPage.getByRole("heading", { name: "Job not found" })).toBeVisible();
    await strangerPage.screenshot({ path: "test-results/other-users-job.png" });
    const dashboard = new DashboardPage(strangerPage);
    await dashboard.goto();
    await expect(dashboard.card(job.id).root).toHaveCount(0);
  } finally {
    await strangerContext.close();
  }
});
