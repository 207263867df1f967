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
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import next from "next";
import { config } from "@/lib/config";
import { exitOnUnhandledRejection } from "@/lib/fatal-errors";
import { normalizeForwarded } from "@/lib/http/forwarded";
import { RealtimeEdge } from "@/lib/http/realtime/edge";
import { logger } from "@/lib/logger";
import { contextOf, SpanKind, startSpan, startTracing, withSpan } from "@/lib/tracing";

exitOnUnhandledRejection(logger);
// Before Next.js loads: its own spans (rendering, route handlers) join ours once a tracer provider is registered.
const tracing = await startTracing("accepted-web");

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

// An id in a path, for a span's name: /api/jobs/{id}, not one name per job.
const ID_SEGMENT = /\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=\/|$)/gi;

/**
 * Serves a request inside a server span (tracing on), child of the
 * traceparent the client sent: a submit's job, its attempts and its
 * webhooks join the caller's trace. Without tracing, just serves it.
 */
function traced(request: IncomingMessage, response: ServerResponse, serve: () => void) {
  if (!tracing) return serve();
  const parent = contextOf(request.headers);
  const path = (request.url ?? "/").split("?")[0]?.replace(ID_SEGMENT, "/{id}") ?? "/";
  const span = startSpan(`${request.method} ${path}`, SpanKind.SERVER, parent, {
    "http.request.method": request.method ?? "",
    "url.path": path,
  });
  response.once("close", () => {
    span.setAttribute("http.response.status_code", response.statusCode);
    span.end();
  });
  withSpan(span, parent, serve);
}

const server = createServer((request, response) => {
  normalizeForwarded(request.headers, request.socket.remoteAddress, settings.TRUSTED_PROXY_HOPS);
  traced(request, response, () => {
    if (!realtime.serve(request, response)) void handle(request, response);
  });
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
  // The spans not yet sent go before the process does.
  server.close(() => void (tracing?.shutdown() ?? Promise.resolve()).finally(() => process.exit(0)));
  server.closeIdleConnections();
  setTimeout(() => {
    server.closeAllConnections();
    process.exit(0);
  }, DRAIN_MS).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
