/**
 * `npm test`: starts its own throwaway PostgreSQL (or uses DATABASE_URL),
 * runs the unit tests (test/unit, seconds) on a database of their own there,
 * builds the app, runs web and worker for real, then runs every Playwright
 * spec (API and browser) against them. Extra arguments go to Playwright.
 */

import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { buildIfStale } from "./build";
import { launchThrowawayDatabase, startThrowawayApp } from "./throwaway-app";
import { runUnitTests, type UnitTestCounts } from "./unit-tests";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const RESULTS_DIR = "test-results";
// Not under test-results/: Playwright empties that folder when it starts.
const REPORTS_DIR = "test-reports";
const LOGS_DIR = "test-logs";

/**
 * Playwright runs twice: the specs that may share the app with others, two
 * at a time, then the exclusive ones alone (playwright.config.ts says which
 * and why). Two workers, not more: the app, its worker, PostgreSQL and
 * Chromium share this machine's cores with them.
 */
const RUNS = [
  { name: "shared", args: ["--project=api", "--project=browser", "--workers=2"] },
  { name: "exclusive", args: ["--project=exclusive", "--workers=1"] },
];

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function printSummary(unit: UnitTestCounts): Promise<void> {
  const stats = { expected: 0, unexpected: 0, skipped: 0, flaky: 0 };
  for (const run of RUNS) {
    const report = JSON.parse(await readFile(`${REPORTS_DIR}/${run.name}.json`, "utf8").catch(() => "{}"));
    for (const key of Object.keys(stats) as (keyof typeof stats)[]) stats[key] += report.stats?.[key] ?? 0;
  }
  console.log(`\nunit tests: ${unit.passed} passed, ${unit.failed} failed`);
  console.log(`Playwright: ${stats.expected} passed, ${stats.unexpected} failed, ${stats.skipped} skipped`);
  // The one closing line CI reads to know how many tests ran.
  console.log(
    `\ntests: ${unit.passed + stats.expected} passed, ${unit.failed + stats.unexpected} failed, ${stats.skipped} skipped`,
  );
}

/**
 * The browser tests drive Debian's Chromium (Playwright's own browser
 * download is not reachable here) and the pooler test Debian's PgBouncer.
 * As root with apt-get, install what is missing, so `npm test` works on a
 * fresh machine.
 */
async function ensurePackages(): Promise<boolean> {
  const needed = [
    { name: "chromium", binary: CHROMIUM },
    { name: "pgbouncer", binary: "/usr/sbin/pgbouncer" },
  ].filter((pkg) => !existsSync(pkg.binary));
  if (needed.length === 0) return true;
  if (process.getuid?.() === 0 && existsSync("/usr/bin/apt-get") && !process.env.CHROMIUM_PATH) {
    console.log(`Installing Debian's ${needed.map((pkg) => pkg.name).join(" and ")}…`);
    const env = { DEBIAN_FRONTEND: "noninteractive" };
    if (
      (await run("apt-get", ["update", "-qq"], env)) === 0 &&
      (await run("apt-get", ["install", "-y", "-qq", ...needed.map((pkg) => pkg.name)], env)) === 0
    ) {
      return needed.every((pkg) => existsSync(pkg.binary));
    }
  }
  console.error(
    `Missing: ${needed.map((pkg) => pkg.binary).join(", ")}. Install them (apt-get install -y chromium pgbouncer), or set CHROMIUM_PATH.`,
  );
  return false;
}

async function main(): Promise<number> {
  if (!(await ensurePackages())) return 1;
  for (const dir of [RESULTS_DIR, REPORTS_DIR]) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
  }
  // The test job types (test.record) for the app, the processes tests start, and the tests' own imports.
  const env = { NEXT_TELEMETRY_DISABLED: "1", ACCEPTED_TEST_JOB_TYPES: "1" };
  // The first admin, known to the tests that sign in as one; and schedules firing every second or two (the tests of
  // their firings would otherwise take minutes).
  const appEnv = {
    ACCEPTED_ADMIN_EMAIL: "admin@accepted.test",
    ACCEPTED_ADMIN_PASSWORD: `pw-${randomUUID()}`,
    SCHEDULE_MIN_INTERVAL_SECONDS: "1",
  };

  const database = await launchThrowawayDatabase("test");
  try {
    const unit = await runUnitTests(database.url);
    if (unit.failed > 0 || unit.passed === 0) {
      await printSummary(unit);
      return 1;
    }

    if (!process.argv.includes("--no-build") && !(await buildIfStale(env))) return 1;

    // Not under test-results/: Playwright empties that folder when it starts.
    await mkdir(LOGS_DIR, { recursive: true });
    const app = await startThrowawayApp("test", `${LOGS_DIR}/servers.log`, appEnv, { database });
    try {
      console.log(`app at ${app.stack.baseUrl}, server logs in ${LOGS_DIR}/servers.log`);
      const playwrightArgs = process.argv.slice(2).filter((arg) => arg !== "--no-build");
      let code = 0;
      for (const pass of RUNS) {
        // Specs named on the command line may all fall in one run: the other has none, and passes.
        const args = ["test", ...pass.args, "--pass-with-no-tests", ...playwrightArgs];
        const exit = await run("node_modules/.bin/playwright", args, {
          ...env,
          ...appEnv,
          BASE_URL: app.stack.baseUrl,
          DATABASE_URL: app.database.url,
          CHROMIUM_PATH: CHROMIUM,
          E2E_REPORT: `${REPORTS_DIR}/${pass.name}.json`,
        });
        code ||= exit;
      }
      await printSummary(unit);
      return code;
    } finally {
      await app.stop();
    }
  } finally {
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
