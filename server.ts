/**
 * The web process: Next.js behind a plain Node HTTP server, which makes the
 * forwarding headers trustworthy (TRUSTED_PROXY_HOPS) before Next reads
 * them, and stops gracefully: on SIGTERM readiness turns 503, streams end,
 * in-flight requests finish, then it exits. `npm start` and `npm test` run
 * it (production); `npm run dev` runs `next dev`.
 */
import { createServer } from "node:http";
import next from "next";
import { config } from "@/lib/config";
import { normalizeForwarded } from "@/lib/http/forwarded";

const settings = config();
const port = settings.PORT;
const app = next({ dev: false, hostname: "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((request, response) => {
  normalizeForwarded(request.headers, request.socket.remoteAddress, settings.TRUSTED_PROXY_HOPS);
  void handle(request, response);
});
server.listen(port, () => console.log(`web server listening on port ${port}`));

// A request may take a while to finish (a long poll ends at once on the
// drain; an upload may not): this long, then the rest are cut.
const DRAIN_MS = 10_000;
let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  // instrumentation.ts's own handler has marked the process draining and ended its streams.
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => {
    server.closeAllConnections();
    process.exit(0);
  }, DRAIN_MS).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
