/**
 * `npm start` / `npm run dev`: embedded PostgreSQL (unless DATABASE_URL is
 * set), migrations, then the web server and the worker together, each
 * started again when it crashes. Ctrl-C or SIGTERM stops them all: exit 0.
 * Exit 1: it could not start (a failed build, the database, a process that
 * failed before the app was up).
 */
import { buildIfStale } from "./build";
import { launchDatabase } from "./database";
import { startStack } from "./stack";

const mode = process.argv.includes("--dev") ? "dev" : "production";
const port = Number(process.env.PORT ?? 3000);

// Production serves a build: made now only if the sources changed since the last one.
if (mode === "production" && !(await buildIfStale())) process.exit(1);

// Said plainly (the embedded server's port taken, say, or the web server's), without a stack trace.
function cannotStart(error: Error): never {
  console.error(`\nAccepted cannot start: ${error.message}\n`);
  process.exit(1);
}

const database = await launchDatabase({ dataSubdir: "postgres", persistent: true }).catch(cannotStart);
// A web server or worker that crashes is started again (with backoff); only a signal stops the service.
const stack = await startStack({ mode, port, databaseUrl: database.url, output: process.stdout, restart: true }).catch(
  async (error: Error) => {
    await database.stop();
    return cannotStart(error);
  },
);
console.log(`\nAccepted is running at ${stack.baseUrl} (${mode}; database ${new URL(database.url).host})\n`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  await database.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
