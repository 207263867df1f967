import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { getSessionCookie } from "better-auth/cookies";
import { pathnameOf } from "./node-request";
import { type ProblemDetails, problemResponse } from "./problem";

// Enough for every client a flood could be coming from at once; past it, the oldest are forgotten.
const MAX_REMEMBERED = 10_000;

/**
 * The same request from the same client: method, path, and a digest of what
 * identifies the client to the limits (its bearer token, its session
 * cookie's value alone, else its address), so that junk added to a header
 * does not make a new client, and no credential is kept in memory.
 */
function keyOf(method: string, pathname: string, headers: Headers): string {
  const authorization = headers.get("authorization");
  const session = getSessionCookie(headers);
  const client = authorization
    ? `bearer ${authorization}`
    : session
      ? `session ${session}`
      : `address ${headers.get("x-forwarded-for")}`;
  return `${method} ${pathname} ${createHash("sha256").update(client).digest("base64url")}`;
}

function headersOf(incoming: IncomingMessage): Headers {
  const headers = new Headers();
  for (const name of ["authorization", "cookie", "x-forwarded-for"]) {
    const value = incoming.headers[name];
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join("; ") : value);
  }
  return headers;
}

/**
 * Requests a rate limit has just refused, remembered in this process until
 * their window reopens, so that the same client sending the same request
 * again is refused by our own server (server.ts) at once: no Next.js, no
 * authentication, no database. A flood of refused requests would otherwise
 * cost each of them a full trip through the app, and slow everyone else's
 * answers. The limit itself is still PostgreSQL's (lib/rate-limits.ts):
 * this only spares the requests it has already refused.
 */
class RecentRefusals {
  private readonly refusals = new Map<string, { until: number; problem: ProblemDetails }>();

  /** Remembers that `request` was refused with `problem` for `retryAfterSeconds`. */
  remember(request: Request, retryAfterSeconds: number, problem: ProblemDetails) {
    const now = Date.now();
    // The oldest first: those whose time is up go, then the oldest of the rest if there are too many.
    for (const [key, refusal] of this.refusals) {
      if (refusal.until > now && this.refusals.size < MAX_REMEMBERED) break;
      this.refusals.delete(key);
    }
    const key = keyOf(request.method, new URL(request.url).pathname, request.headers);
    this.refusals.delete(key);
    this.refusals.set(key, { until: now + retryAfterSeconds * 1000, problem });
  }

  /** The refusal to answer `incoming` with, if the same request was refused and its window is still closed. */
  refusalOf(incoming: IncomingMessage): Response | null {
    if (this.refusals.size === 0) return null;
    const key = keyOf(incoming.method ?? "GET", pathnameOf(incoming), headersOf(incoming));
    const refusal = this.refusals.get(key);
    if (!refusal) return null;
    const left = Math.ceil((refusal.until - Date.now()) / 1000);
    if (left <= 0) {
      this.refusals.delete(key);
      return null;
    }
    return problemResponse(refusal.problem, { "Retry-After": String(left) });
  }
}

// On globalThis: Next's bundles (which remember) and our own server (which answers) share one.
const holder = globalThis as typeof globalThis & { __acceptedRecentRefusals?: RecentRefusals };

export function recentRefusals(): RecentRefusals {
  holder.__acceptedRecentRefusals ??= new RecentRefusals();
  return holder.__acceptedRecentRefusals;
}
