import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./e2e/support/chromium";

// scripts/test.ts starts the app and the database and passes their addresses.
const baseURL = process.env.BASE_URL ?? "http://localhost:3000";

export default defineConfig({
  testDir: "e2e",
  // One test at a time: several assert that a bad request wrote no row, by
  // counting all rows, and the app has 2 cores to share with the browser.
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  reporter: [["list"], ["json", { outputFile: "test-results/results.json" }]],
  use: { baseURL, trace: "retain-on-failure", screenshot: "only-on-failure" },
  projects: [
    { name: "api", testMatch: "api/**/*.spec.ts" },
    {
      name: "browser",
      testMatch: "browser/**/*.spec.ts",
      use: {
        browserName: "chromium",
        viewport: { width: 1280, height: 900 },
        launchOptions: chromiumLaunchOptions,
      },
    },
  ],
});
