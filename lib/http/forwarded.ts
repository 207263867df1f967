import type { IncomingHttpHeaders } from "node:http";

const FORWARDED = [
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "forwarded",
  "x-real-ip",
];

/**
 * Makes a request's forwarding headers say only what can be believed, before
 * anything reads them: with `trustedHops` 0 (no proxy in front), every
 * X-Forwarded-* header a client sent is dropped and X-Forwarded-For becomes
 * the socket's address; behind N trusted proxies (each appending the address
 * it received from to X-Forwarded-For), the client is the address N entries
 * from the right, and the proxies' X-Forwarded-Host/-Proto are kept. Either
 * way X-Forwarded-For ends up one address: the client's, which rate limits,
 * logs and audit entries read (clientAddress below). Mutates `headers`.
 */
export function normalizeForwarded(
  headers: IncomingHttpHeaders,
  socketAddress: string | undefined,
  trustedHops: number,
) {
  const chain = [
    ...String(headers["x-forwarded-for"] ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean),
    ...(socketAddress ? [socketAddress] : []),
  ];
  // The last entry is the socket; each trusted proxy vouches for the one before it.
  const client = chain[Math.max(0, chain.length - 1 - trustedHops)] ?? socketAddress ?? "unknown";
  if (trustedHops === 0) for (const name of FORWARDED) delete headers[name];
  headers["x-forwarded-for"] = client;
}

/** The client's address, as the server normalized it (see normalizeForwarded). */
export function clientAddress(request: Request): string {
  return request.headers.get("x-forwarded-for") ?? "unknown";
}
