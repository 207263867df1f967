/**
 * `npm start` / `npm run dev`: embedded PostgreSQL (unless DATABASE_URL is
 * set), migrations, then the web server and the worker together.
 */
import { buildIfStale } from "./build";
import { launchDatabase } from "./database";
import { startStack } from "./stack";

const mode = process.argv.includes("--dev") ? "dev" : "production";
const port = Number(process.env.PORT ?? 3000);

// Production serves a build: made now only if the sources changed since the last one.
if (mode === "production" && !(await buildIfStale())) process.exit(1);

const database = await launchDatabase({ dataSubdir: "postgres", persistent: true }).catch((error: Error) => {
  // Said plainly (the embedded server's port taken, say), without a stack trace.
  console.error(`\nAccepted cannot start: ${error.message}\n`);
  process.exit(1);
});
const stack = await startStack({ mode, port, databaseUrl: database.url, output: process.stdout });
console.log(`\nAccepted is running at ${stack.baseUrl} (${mode}; database ${new URL(database.url).host})\n`);

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  await database.stop();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
stack.exited.then((reason) => {
  // During a shutdown the children exit as asked; otherwise it is a crash.
  if (stopping) return;
  console.error(`${reason}; stopping`);
  void shutdown(1);
});
