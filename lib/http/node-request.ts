import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * A request our own server (server.ts) serves without Next.js, as the Web
 * Request the rest of lib/http reads: its URL as the client addressed it,
 * its headers (forwarding headers already normalized), no body. Only the
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
  for (const [name, value] of Object.entries(incoming.headers)) {
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
