import type { IncomingMessage, ServerResponse } from "node:http";

// What the realtime operations read of a request (credentials, origin, resume points, long-poll preferences);
// copying only these keeps the thousands of streams opened at once from making that much more garbage.
const READ_HEADERS = [
  "authorization",
  "cookie",
  "host",
  "origin",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-host",
  "last-event-id",
  "if-none-match",
  "prefer",
  "accept",
  "user-agent",
];

/**
 * A request our own server (server.ts) serves without Next.js, as the Web
 * Request the rest of lib/http reads: its URL as the client addressed it,
 * the headers those operations read (forwarding headers already
 * normalized), no body. Only the
 * realtime paths come here, and they are all GETs and upgrades.
 */
export function webRequestOf(incoming: IncomingMessage, signal?: AbortSignal): Request {
  const host = incoming.headers.host ?? "localhost";
  // X-Forwarded-Proto survives normalizeForwarded only from trusted proxies.
  const protocol =
    String(incoming.headers["x-forwarded-proto"] ?? "http")
      .split(",")[0]
      ?.trim() || "http";
  const headers = new Headers();
  for (const name of READ_HEADERS) {
    const value = incoming.headers[name];
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return new Request(new URL(incoming.url ?? "/", `${protocol}://${host}`), { headers, signal });
}

/** Writes a Web Response (a problem, a status) to a Node response. */
export async function sendWebResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  outgoing.end(body);
}

/** The path of a request our server received, without its query. */
export const pathnameOf = (incoming: IncomingMessage): string => (incoming.url ?? "/").split("?")[0] ?? "/";
