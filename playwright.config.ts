import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./e2e/support/chromium";

// scripts/test.ts starts the app and the database and passes their addresses.
const baseURL = process.env.BASE_URL ?? "http://localhost:3000";

/**
 * The specs that cannot share the app with another test running at the same
 * time: they stop the database everyone uses, pause job types, measure who
 * runs first, count every user's rows (the first admin is every worker's),
 * add a second instance, or load the whole machine. `npm test` runs them after the rest, one at a
 * time (the `exclusive` project); every other spec counts only its own
 * users' rows and runs beside others (`api`, `browser`, two workers).
 */
export const EXCLUSIVE_SPECS = [
  "api/outage.spec.ts",
  "api/fair-sharing.spec.ts",
  "browser/fair-sharing.spec.ts",
  "api/hostile.spec.ts",
  "api/admin.spec.ts",
  "api/hardening.spec.ts",
  "api/load.spec.ts",
  "api/workers.spec.ts",
  "api/connection-faults.spec.ts",
  "api/supervision.spec.ts",
  // A second web server and worker on the shared database: their LISTEN connections and their worker are everyone's.
  "api/scale-out.spec.ts",
  // Two more workers, and firings that must each be made within a second: timing a loaded machine would spoil.
  "api/schedule-firing.spec.ts",
];

const browserUse = {
  browserName: "chromium" as const,
  viewport: { width: 1280, height: 900 },
  launchOptions: chromiumLaunchOptions,
};

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  // scripts/test.ts names a report per run (it runs the shared projects, then the exclusive one).
  reporter: [["list"], ["json", { outputFile: process.env.E2E_REPORT ?? "test-reports/results.json" }]],
  use: { baseURL, trace: "retain-on-failure", screenshot: "only-on-failure" },
  projects: [
    { name: "api", testMatch: "api/**/*.spec.ts", testIgnore: EXCLUSIVE_SPECS },
    { name: "browser", testMatch: "browser/**/*.spec.ts", testIgnore: EXCLUSIVE_SPECS, use: browserUse },
    // Its own output folder: the second run must not empty the first one's (its screenshots, traces).
    { name: "exclusive", testMatch: EXCLUSIVE_SPECS, use: browserUse, outputDir: "test-results/exclusive" },
  ],
});
