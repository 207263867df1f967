import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test as base } from "@playwright/test";
import { AuthPages } from "../pages/auth-pages";
import { DashboardPage } from "../pages/dashboard-page";
import { createApiUser } from "../support/api-user";
import { baseURL, expect } from "../support/fixtures";

// Signed out, as a visitor following a crafted link is.
const visitor = base;

visitor("a crafted ?next= after sign-in lands on the app's own dashboard, never another site", async ({ browser }) => {
  const user = await createApiUser(baseURL, "redirected");
  // The first pass's variants, then paths that only become "//evil.example"
  // once their dot segments are resolved (%252e reaches the page as %2e).
  const variants = ["/\\evil.example/x", "/%09/evil.example/x", "/%5Cevil.example"];
  variants.push("/.//evil.example", "/..//evil.example", "/%2e//evil.example", "/%252e//evil.example");
  variants.push("/./\\evil.example", "/x/../\\evil.example", "/x/..%2F%2Fevil.example");
  for (const next of variants) {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    // Were the app to send the browser there, this would catch it rather than the network.
    await page.route(
      (url) => url.hostname === "evil.example",
      (route) => route.fulfill({ body: "left the app" }),
    );
    await page.goto(`/sign-in?next=${next}`);
    await new AuthPages(page).signIn(user);
    await expect(page).toHaveURL(`${baseURL}/`);
    await expect(page.getByTestId("signed-in-as")).toHaveText(user.email);
    await context.close();
  }
});

visitor("a page of another origin cannot frame the app", async ({ page }) => {
  // A real server of another origin on this machine (a page only faked by
  // page.route counts as public, and Chromium's local-network checks would
  // block the frame before our headers could): a page framing the app's
  // sign-in page and, as a control, one of its own, which allows framing.
  const other = createServer((request, response) => {
    response.setHeader("Content-Type", "text/html");
    response.end(
      request.url === "/frameable"
        ? "<h2>Framed fine</h2>"
        : `<h1>Another site</h1>
           <iframe id="app" src="${baseURL}/sign-in" width="600" height="400"></iframe>
           <iframe id="control" src="/frameable" width="300" height="400"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
  try {
    await page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
    await expect(page.frameLocator("#control").getByRole("heading", { name: "Framed fine" })).toBeVisible();
    // The app's frame ends on the browser's error page, not on the app.
    await expect.poll(() => page.frames().map((frame) => frame.url())).toContain("chrome-error://chromewebdata/");
    await page.screenshot({ path: "test-results/framed-by-another-origin.png" });
    await expect(page.frameLocator("#app").getByRole("heading", { name: "Sign in to Accepted" })).toHaveCount(0);
  } finally {
    other.close();
  }
});

visitor("at 127.0.0.1 as well as localhost, a visitor signs up and starts a job", async ({ browser }) => {
  const loopback = baseURL.replace("localhost", "127.0.0.1");
  expect(loopback).not.toBe(baseURL);
  const context = await browser.newContext({ baseURL: loopback });
  const page = await context.newPage();
  await page.goto("/sign-up");
  const user = { name: "Lin", email: `lin-${Date.now()}@example.com`, password: "a long passphrase" };
  await new AuthPages(page).signUp(user);
  await expect(page).toHaveURL(`${loopback}/`);
  const dashboard = new DashboardPage(page);
  const card = await dashboard.start("Demo: steps", { Steps: "2", "Step duration": "100" });
  await expect(card.badge).toHaveText("Succeeded", { timeout: 20_000 });
  await page.screenshot({ path: "test-results/dashboard-at-127.0.0.1.png" });
  await context.close();
});
