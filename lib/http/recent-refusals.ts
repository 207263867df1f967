import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { getSessionCookie } from "better-auth/cookies";
import { pathnameOf } from "./node-request";
import { type ProblemDetails, problemResponse } from "./problem";

// Enough for every client a flood could be coming from at once; past it, the oldest are forgotten.
const MAX_REMEMBERED = 10_000;
// How long a repeated refused request is held before its answer, and how many are held at once (per request, in all).
const TARPIT_MS = 500;
const TARPIT_HELD = 32;
const TARPIT_HELD_TOTAL = 5_000;

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
  // Answers being held, per request key and in all.
  private readonly held = new Map<string, number>();
  private heldTotal = 0;

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

  /**
   * The refusal to answer `incoming` with, if the same request was refused
   * and its window is still closed, and how long to hold it first: a client
   * sending again what it was just told to wait for is answered after a
   * pause (up to TARPIT_MS, never past its window), at most TARPIT_HELD of
   * its requests at a time, so that it cannot have the server spend itself
   * on refusals; a socket and a timer are all a held answer costs.
   */
  refusalOf(incoming: IncomingMessage): { response: Response; holdMs: number; release: () => void } | null {
    if (this.refusals.size === 0) return null;
    const key = keyOf(incoming.method ?? "GET", pathnameOf(incoming), headersOf(incoming));
    const refusal = this.refusals.get(key);
    if (!refusal) return null;
    const leftMs = refusal.until - Date.now();
    if (leftMs <= 0) {
      this.refusals.delete(key);
      return null;
    }
    const held = this.held.get(key) ?? 0;
    const holdMs = held < TARPIT_HELD && this.heldTotal < TARPIT_HELD_TOTAL ? Math.min(TARPIT_MS, leftMs) : 0;
    if (holdMs > 0) {
      this.held.set(key, held + 1);
      this.heldTotal++;
    }
    let released = holdMs === 0;
    const release = () => {
      if (released) return;
      released = true;
      this.heldTotal--;
      const left = (this.held.get(key) ?? 1) - 1;
      if (left > 0) this.held.set(key, left);
      else this.held.delete(key);
    };
    const retryAfter = String(Math.max(1, Math.ceil((leftMs - holdMs) / 1000)));
    return { response: problemResponse(refusal.problem, { "Retry-After": retryAfter }), holdMs, release };
  }
}

// On globalThis: Next's bundles (which remember) and our own server (which answers) share one.
const holder = globalThis as typeof globalThis & { __acceptedRecentRefusals?: RecentRefusals };

export function recentRefusals(): RecentRefusals {
  holder.__acceptedRecentRefusals ??= new RecentRefusals();
  return holder.__acceptedRecentRefusals;
}
