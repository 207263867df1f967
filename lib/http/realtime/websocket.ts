import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { type Caller, identifyCaller, isAdmin, isCaller, jobScope, ownJobs } from "@/lib/auth/caller";
import { isCrossOrigin } from "@/lib/auth/origins";
import { jobFeed } from "@/lib/change-feed/job-feed";
import { config } from "@/lib/config";
import { connectionAllowance, connectionCounts } from "@/lib/connection-caps";
import { TooManyConnections } from "@/lib/errors";
import { jobs } from "@/lib/http/api";
import { credentialsOf } from "@/lib/http/caller";
import { logger } from "@/lib/logger";
import { CLOSE_CODES, serveJobSocket } from "./job-socket";
import { endWhenRevoked } from "./revocation";

// A socket that has not answered one ping by the next is dead: closed.
const PING_INTERVAL_MS = 30_000;
// Client messages are small (subscriptions); anything bigger closes the socket (1009).
const MAX_MESSAGE_BYTES = 64 * 1024;

// Messages kept while the caller is being checked; a client that sends more before `ready` loses the rest.
const MAX_EARLY_MESSAGES = 100;

interface Refusal {
  code: number;
  reason: string;
}

/**
 * The WebSocket side of /api/events, on our own server (server.ts), with the
 * `ws` library. Every upgrade is accepted and then either served or closed
 * with a code saying why (a browser's WebSocket sees close codes, never an
 * HTTP status): 4400 a query it cannot use, 4401 unauthenticated (or the credential was revoked), 4403
 * a cookie's upgrade from another site's page (cross-site WebSocket
 * hijacking) or `?scope=all` for a non-admin, 4429 past the user's
 * connection cap, 1013 the server could not check (the database is down).
 * A refused socket receives no job data. 1001 means the
 * server is stopping: reconnect, to another instance if there is one.
 */
export class JobEventSockets {
  private readonly server = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    // Compression would cost a zlib context per socket; job messages are small.
    perMessageDeflate: false,
  });
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    this.heartbeat = setInterval(() => this.ping(), PING_INTERVAL_MS).unref();
  }

  /** Takes over an upgrade of /api/events whose request `request` describes. */
  upgrade(incoming: IncomingMessage, socket: Duplex, head: Buffer, request: Request) {
    this.server.handleUpgrade(incoming, socket, head, (ws) => this.accept(ws, request));
  }

  /** Closes every socket with 1001 "going away", for a graceful stop. */
  close() {
    clearInterval(this.heartbeat);
    for (const ws of this.server.clients) ws.close(CLOSE_CODES.goingAway, "server stopping: reconnect");
  }

  private ping() {
    for (const ws of this.server.clients) {
      if (this.alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      this.alive.set(ws, false);
      ws.ping();
    }
  }

  private accept(ws: WebSocket, request: Request) {
    this.alive.set(ws, true);
    ws.on("pong", () => this.alive.set(ws, true));
    ws.on("error", (error) => logger.debug({ err: error }, "WebSocket error"));
    // Messages that arrive while the caller is being checked wait for it.
    const early: string[] = [];
    let receive: ((text: string) => void) | null = null;
    ws.on("message", (data, isBinary) => {
      const text = isBinary ? "" : data.toString();
      if (receive) receive(text);
      else if (early.length < MAX_EARLY_MESSAGES) early.push(text);
    });
    let ended = false;
    let end = () => {};
    ws.once("close", () => {
      ended = true;
      end();
    });

    this.admit(request).then(
      (admitted) => {
        if (ended) {
          admitted.release?.();
          return;
        }
        if ("code" in admitted) {
          ws.close(admitted.code, admitted.reason);
          return;
        }
        const { caller, scopeAll, release } = admitted;
        const session = serveJobSocket(
          {
            send: (text) => ws.send(text, { binary: false }),
            buffered: () => ws.bufferedAmount,
            close: (code, reason) => ws.close(code, reason),
          },
          {
            streamScope: scopeAll ? jobScope(caller) : ownJobs(caller),
            accessScope: jobScope(caller),
            onlyJob: caller.jobId,
            idsPerSecond: config().WEBSOCKET_IDS_PER_SECOND,
          },
        );
        const stopWatching = endWhenRevoked(
          request,
          caller,
          () => ws.close(CLOSE_CODES.unauthenticated, "signed out or revoked"),
          isAdmin(caller) ? isAdmin : undefined,
        );
        end = () => {
          session.end();
          stopWatching();
          release();
        };
        receive = session.receive;
        for (const text of early.splice(0)) session.receive(text);
      },
      (error) => {
        // An outage (or a bug): the client tries again later, as 1013 asks.
        logger.warn({ err: error }, "WebSocket admission failed");
        ws.close(CLOSE_CODES.tryAgainLater, "try again later");
      },
    );
  }

  /** Who the socket is for and what it may hear, or why it is refused. */
  private async admit(
    request: Request,
  ): Promise<{ caller: Caller; scopeAll: boolean; release: () => void } | (Refusal & { release?: undefined })> {
    const caller = await identifyCaller(credentialsOf(request));
    if (!isCaller(caller)) return { code: CLOSE_CODES.unauthenticated, reason: "sign in, or send an API token" };
    if (caller.via === "session" && isCrossOrigin(request))
      return { code: CLOSE_CODES.forbidden, reason: "cross-origin upgrade with a session cookie" };
    const query = jobs.eventsQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success) return { code: CLOSE_CODES.badRequest, reason: "scope is own or all" };
    const scopeAll = query.data.scope === "all";
    if (scopeAll && !isAdmin(caller)) return { code: CLOSE_CODES.forbidden, reason: "scope=all is for admins" };
    await jobFeed().start();
    let release: () => void;
    try {
      release = connectionCounts().claim(connectionAllowance(caller));
    } catch (error) {
      if (error instanceof TooManyConnections)
        return { code: CLOSE_CODES.tooManyConnections, reason: `at most ${error.cap} connections per user` };
      throw error;
    }
    return { caller, scopeAll, release };
  }
}
