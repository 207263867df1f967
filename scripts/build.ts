import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

// What a production build is made from: the app's sources and the exact
// dependencies. The worker runs from source and needs no build.
const INPUTS = [
  "app",
  "lib",
  "db",
  "public",
  "next.config.ts",
  "proxy.ts",
  "instrumentation.ts",
  "tsconfig.json",
  "package-lock.json",
];
const SOURCE = /\.(tsx?|css|json|sql|svg|png|ico|txt)$/;
const STAMP = ".next/accepted-build-stamp";

async function filesOf(entry: string): Promise<string[]> {
  if (!existsSync(entry)) return [];
  const stat = await readdir(entry, { withFileTypes: true }).catch(() => null);
  if (!stat) return [entry];
  const nested = await Promise.all(
    stat.map((child) => (child.isDirectory() ? filesOf(path.join(entry, child.name)) : [path.join(entry, child.name)])),
  );
  return nested.flat().filter((file) => SOURCE.test(file));
}

/** A hash of every input of the build, and of the settings that change what it contains. */
async function buildStamp(env: Record<string, string | undefined>): Promise<string> {
  const hash = createHash("sha256");
  const files = (await Promise.all(INPUTS.map(filesOf))).flat().sort();
  for (const file of files)
    hash
      .update(file)
      .update("\0")
      .update(await readFile(file))
      .update("\0");
  hash.update(`ACCEPTED_TEST_JOB_TYPES=${env.ACCEPTED_TEST_JOB_TYPES ?? ""}`);
  return hash.digest("hex");
}

/**
 * Runs `next build` unless the last build was made from exactly these
 * sources (its stamp in .next/ says so): a restart of `npm start` is ready
 * in seconds. Returns false when a build was needed and failed.
 */
export async function buildIfStale(env: Record<string, string | undefined> = process.env): Promise<boolean> {
  const stamp = await buildStamp(env);
  const previous = await readFile(STAMP, "utf8").catch(() => null);
  if (previous === stamp && existsSync(".next/BUILD_ID")) {
    console.log("The build is up to date with the sources; not building.");
    return true;
  }
  const built = spawnSync("node_modules/.bin/next", ["build"], { stdio: "inherit", env: { ...process.env, ...env } });
  if (built.status !== 0) return false;
  await writeFile(STAMP, stamp);
  return true;
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  process.exit((await buildIfStale()) ? 0 : 1);
}
