/**
 * The web process: one Node HTTP server, one port. It makes the forwarding
 * headers trustworthy (TRUSTED_PROXY_HOPS) before anything reads them,
 * serves the realtime paths itself (lib/http/realtime/edge.ts: WebSocket
 * upgrades and event streams of /api/…/events, long polls of the status
 * monitors) and hands every other request to Next.js. It stops gracefully:
 * on SIGTERM readiness turns 503, streams end, sockets close with 1001,
 * in-flight requests finish, then it exits. `npm start`, `npm run dev`
 * (`--dev`) and `npm test` all run it.
 */
import { EventEmitter } from "node:events";
import { createServer, type Server } from "node:http";
import next from "next";
import { config } from "@/lib/config";
import { exitOnUnhandledRejection } from "@/lib/fatal-errors";
import { normalizeForwarded } from "@/lib/http/forwarded";
import { RealtimeEdge } from "@/lib/http/realtime/edge";
import { logger } from "@/lib/logger";

exitOnUnhandledRejection(logger);

const dev = process.argv.includes("--dev");
const settings = config();
const port = settings.PORT;
// Next.js listens for upgrades on the server it is handed (its dev server's
// hot reload); given one of its own, it leaves ours alone, and we pass it
// the upgrades that are not ours.
const nextUpgrades = new EventEmitter();
const app = next({ dev, hostname: "localhost", port, httpServer: nextUpgrades as unknown as Server });
const handle = app.getRequestHandler();
await app.prepare();
const upgradeNext = app.getUpgradeHandler();

const realtime = new RealtimeEdge({ dev });

const server = createServer((request, response) => {
  normalizeForwarded(request.headers, request.socket.remoteAddress, settings.TRUSTED_PROXY_HOPS);
  if (!realtime.serve(request, response)) void handle(request, response);
});
server.on("upgrade", (request, socket, head) => {
  normalizeForwarded(request.headers, request.socket.remoteAddress, settings.TRUSTED_PROXY_HOPS);
  if (!realtime.upgrade(request, socket, head)) void upgradeNext(request, socket, head);
});
server.listen(port, () => console.log(`web server listening on port ${port}${dev ? " (development)" : ""}`));

// A request may take a while to finish (a long poll ends at once on the
// drain; an upload may not): this long, then the rest are cut.
const DRAIN_MS = 10_000;
let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  // instrumentation.ts's own handler has marked the process draining and ended its streams.
  realtime.close();
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => {
    server.closeAllConnections();
    process.exit(0);
  }, DRAIN_MS).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
