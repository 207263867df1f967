#!/usr/bin/env node
// The `accepted` command. The CLI itself is compiled into dist/ (`npm run build -w client`, or `npm pack`); this
// file is not, so that it exists when a checkout is installed and npm links the workspace's bin to it: npm links
// no bin whose file is missing, and `npx accepted` then finds nothing to run, even after the build.
import { existsSync } from "node:fs";

const cli = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write("accepted: the CLI is not built yet: run `npm run build -w client` in the checkout first.\n");
  process.exit(2);
}
await import(cli.href);
