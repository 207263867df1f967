import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { isDraining } from "@/lib/draining";
import { loggableUrl } from "@/lib/http/caller";
import { jobLogPage } from "@/lib/http/job-logs";
import { hasMalformedPath } from "@/lib/http/malformed-path";
import { pathnameOf, sendWebResponse, webRequestOf } from "@/lib/http/node-request";
import { PROBLEM_CONTENT_TYPE, problemResponse, problems } from "@/lib/http/problem";
import { recentRefusals } from "@/lib/http/recent-refusals";
import { checkedParams, errorResponse, type RouteHandler, serve } from "@/lib/http/route";
import { securityHeaders } from "@/lib/http/security-headers";
import { batchMonitor, jobMonitor } from "@/lib/http/status-monitors";
import { logger } from "@/lib/logger";
import { observeHttpRequest } from "@/lib/metrics/http";
import { allJobEvents, batchEvents, jobEvents, type StreamHandled } from "./event-streams";
import { type StreamStart, serveSse } from "./sse";
import { JobEventSockets } from "./websocket";

const STREAMS: { path: RegExp; handled: StreamHandled }[] = [
  { path: /^\/api\/events$/, handled: allJobEvents },
  { path: /^\/api\/jobs\/([^/]+)\/events$/, handled: jobEvents },
  { path: /^\/api\/batches\/([^/]+)\/events$/, handled: batchEvents },
];

// The status monitors and job logs, whose long polls (`Prefer: wait=N`) are ours to answer: a request held open for up to a
// minute costs several times the memory inside Next.js's pipeline (README: The backplane).
const LONG_POLLS: { path: RegExp; get: RouteHandler }[] = [
  { path: /^\/api\/jobs\/([^/]+)$/, get: serve(jobMonitor) },
  { path: /^\/api\/batches\/([^/]+)$/, get: serve(batchMonitor) },
  { path: /^\/api\/jobs\/([^/]+)\/logs$/, get: serve(jobLogPage) },
];

const WAIT = /(?:^|[,;\s])wait\s*=/i;

function idOf(match: RegExpExecArray): Record<string, string> | null {
  if (match[1] === undefined) return {};
  try {
    return { id: decodeURIComponent(match[1]) };
  } catch {
    return null;
  }
}

const hasBody = (incoming: IncomingMessage) =>
  Number(incoming.headers["content-length"] ?? 0) > 0 || incoming.headers["transfer-encoding"] !== undefined;

/** A stream whose client left while it was being opened: its cleanup runs at once (releasing its connection). */
function discard(start: StreamStart) {
  start({ send() {}, close() {}, closed: true })();
}

/**
 * The realtime paths, served by our own server (server.ts) in front of
 * Next.js: the event streams (GET, written straight to the socket), the
 * WebSocket upgrade of /api/events, and the status monitors' long polls.
 * Everything else, and every other method on these paths (their 405s), is
 * Next.js's. The checks, problems and representations are the same as the
 * route files': both call the operations in lib/http.
 */
export class RealtimeEdge {
  private readonly sockets = new JobEventSockets();

  private readonly headers: { key: string; value: string }[];

  constructor({ dev }: { dev: boolean }) {
    this.headers = securityHeaders(dev);
  }

  /**
   * Serves a realtime request, or refuses a path that cannot be decoded
   * (which Next.js would answer with a bare 500) or a request a rate limit
   * has just refused (lib/http/recent-refusals.ts), and returns true; or
   * returns false for Next.js to serve it.
   */
  serve(incoming: IncomingMessage, outgoing: ServerResponse): boolean {
    const refusal = hasMalformedPath(incoming)
      ? { response: problemResponse(problems.malformedPath().problem), holdMs: 0, release: () => {} }
      : recentRefusals().refusalOf(incoming);
    if (refusal) {
      for (const { key, value } of this.headers) outgoing.setHeader(key, value);
      // A refused upload's body is not worth reading: the connection is closed after the answer instead.
      if (hasBody(incoming)) outgoing.setHeader("Connection", "close");
      const answer = () => {
        refusal.release();
        sendWebResponse(refusal.response, outgoing).catch(() => outgoing.end());
      };
      if (refusal.holdMs === 0) answer();
      else {
        const timer = setTimeout(answer, refusal.holdMs);
        // A client that leaves meanwhile frees its place at once.
        outgoing.once("close", () => {
          clearTimeout(timer);
          refusal.release();
        });
      }
      return true;
    }
    const route = this.route(incoming);
    if (!route) return false;
    // Our answers carry the same security headers as Next's, but an open stream (which no browser renders) only
    // nosniff: a response keeps its header block for as long as it is open, thousands of them at once.
    const headers = route.stream ? this.headers.filter(({ key }) => key === "X-Content-Type-Options") : this.headers;
    for (const { key, value } of headers) outgoing.setHeader(key, value);
    if (isDraining()) {
      // A stopping server takes no new connection that would hold it up: to another instance.
      const draining = problems.draining();
      sendWebResponse(problemResponse(draining.problem, draining.headers), outgoing).catch(() => outgoing.end());
    } else
      route.serve(outgoing).catch((error) => {
        // Answering failed (the client went away mid-write): nothing to answer, but never an unhandled rejection.
        logger.warn({ err: error, url: loggableUrl(incoming.url ?? "") }, "realtime request failed");
        if (outgoing.headersSent) outgoing.end();
        else
          outgoing
            .writeHead(500, { "Content-Type": PROBLEM_CONTENT_TYPE })
            .end(JSON.stringify(problems.internal().problem));
      });
    return true;
  }

  private route(
    incoming: IncomingMessage,
  ): { stream: boolean; serve: (outgoing: ServerResponse) => Promise<void> } | null {
    if (incoming.method !== "GET") return null;
    for (const { path, handled } of STREAMS) {
      const match = path.exec(pathnameOf(incoming));
      const params = match && idOf(match);
      if (params) return { stream: true, serve: (outgoing) => this.serveStream(handled, params, incoming, outgoing) };
    }
    if (!WAIT.test(String(incoming.headers.prefer ?? ""))) return null;
    for (const { path, get } of LONG_POLLS) {
      const match = path.exec(pathnameOf(incoming));
      const params = match && idOf(match);
      if (params) return { stream: false, serve: (outgoing) => this.serveLongPoll(get, params, incoming, outgoing) };
    }
    return null;
  }

  /** Takes a WebSocket upgrade of /api/events and returns true, or returns false (not ours). */
  upgrade(incoming: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (hasMalformedPath(incoming)) {
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return true;
    }
    if (pathnameOf(incoming) !== "/api/events") return false;
    if (isDraining()) {
      socket.end(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
      );
      return true;
    }
    let request: Request;
    try {
      request = webRequestOf(incoming);
    } catch {
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return true;
    }
    this.sockets.upgrade(incoming, socket, head, request);
    return true;
  }

  /** Closes the WebSockets with 1001 (the streams and long polls end through the job feed's shutdown). */
  close() {
    this.sockets.close();
  }

  private async serveStream(
    handled: StreamHandled,
    rawParams: Record<string, string>,
    incoming: IncomingMessage,
    outgoing: ServerResponse,
  ) {
    const started = performance.now();
    const observe = (status: number) =>
      observeHttpRequest(handled.operation.path, "GET", status, performance.now() - started);
    // No abort signal: the stream ends itself when the response closes, and holds nothing more of the request.
    const request = this.requestOf(incoming, outgoing, false);
    if (!request) return;
    try {
      const start = await handled.open(request, checkedParams(handled.operation, rawParams, request));
      observe(200);
      if (outgoing.destroyed) discard(start);
      else serveSse(incoming, outgoing, start);
    } catch (error) {
      const response = errorResponse(error, request);
      observe(response.status);
      await sendWebResponse(response, outgoing);
    }
  }

  private async serveLongPoll(
    get: RouteHandler,
    params: Record<string, string>,
    incoming: IncomingMessage,
    outgoing: ServerResponse,
  ) {
    const request = this.requestOf(incoming, outgoing, true);
    if (!request) return;
    await sendWebResponse(await get(request, { params: Promise.resolve(params) }), outgoing);
  }

  /** The Web Request (aborted when the client goes away, if `abortable`); null (after a 400) when its URL cannot be read. */
  private requestOf(incoming: IncomingMessage, outgoing: ServerResponse, abortable: boolean): Request | null {
    let signal: AbortSignal | undefined;
    if (abortable) {
      const gone = new AbortController();
      outgoing.once("close", () => gone.abort());
      signal = gone.signal;
    }
    try {
      return webRequestOf(incoming, signal);
    } catch {
      const bad = problems.invalidHeader("Host", "The request's Host or URL cannot be read.");
      sendWebResponse(problemResponse(bad.problem), outgoing).catch(() => outgoing.end());
      return null;
    }
  }
}
