/**
 * The tests below HTTP (test/unit/*.test.ts, node:test): pure functions and
 * the lifecycle's transitions against real PostgreSQL, in seconds. `npm test`
 * runs them first; `npm run test:unit` runs them alone.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { run } from "node:test";
import { spec } from "node:test/reporters";
import postgres from "postgres";
import { migrateDatabase } from "@/db/migrate";

export interface UnitTestCounts {
  passed: number;
  failed: number;
}

/** Runs every unit test on a fresh database made on the server at `serverUrl`; dropped afterwards. */
export async function runUnitTests(serverUrl: string): Promise<UnitTestCounts> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const name = `accepted_unit_${process.pid}`;
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    await migrateDatabase(url.toString());
    process.env.UNIT_DATABASE_URL = url.toString();
    const dir = "test/unit";
    const files = (await readdir(dir)).filter((file) => file.endsWith(".test.ts")).map((file) => path.join(dir, file));
    const counts: UnitTestCounts = { passed: 0, failed: 0 };
    const stream = run({ files, concurrency: 1 });
    stream.on("test:pass", (event) => {
      if (event.details.type !== "suite") counts.passed++;
    });
    stream.on("test:fail", (event) => {
      if (event.details.type !== "suite") counts.failed++;
    });
    const reporter = stream.compose(new spec());
    reporter.pipe(process.stdout);
    await new Promise((resolve) => reporter.once("end", resolve));
    return counts;
  } finally {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
  }
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  // A server of their own on a free port, beside an `npm start` that may be running.
  const { launchThrowawayDatabase } = await import("./throwaway-app");
  const database = await launchThrowawayDatabase("unit");
  let code = 1;
  try {
    const counts = await runUnitTests(database.url);
    console.log(`\nunit: ${counts.passed} passed, ${counts.failed} failed`);
    code = counts.failed === 0 && counts.passed > 0 ? 0 : 1;
  } finally {
    await database.stop();
  }
  process.exit(code);
}
