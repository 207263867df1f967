import type { IncomingMessage } from "node:http";
import { type ProblemDetails, problemResponse } from "./problem";

// Enough for every client a flood could be coming from at once; past it, the oldest are forgotten.
const MAX_REMEMBERED = 10_000;

type HeaderOf = (name: string) => string | null | undefined;

/** The same request from the same client: method, path, and its credential (or, with none, its address). */
function keyOf(method: string, pathname: string, header: HeaderOf): string {
  const credential = header("authorization") ?? header("cookie") ?? `address ${header("x-forwarded-for")}`;
  return `${method} ${pathname} ${credential}`;
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
    const key = keyOf(request.method, new URL(request.url).pathname, (name) => request.headers.get(name));
    this.refusals.delete(key);
    this.refusals.set(key, { until: Date.now() + retryAfterSeconds * 1000, problem });
    if (this.refusals.size > MAX_REMEMBERED) this.refusals.delete(this.refusals.keys().next().value as string);
  }

  /** The refusal to answer `incoming` with, if the same request was refused and its window is still closed. */
  refusalOf(incoming: IncomingMessage): Response | null {
    const header: HeaderOf = (name) => {
      const value = incoming.headers[name];
      return Array.isArray(value) ? value.join("; ") : value;
    };
    const key = keyOf(incoming.method ?? "GET", (incoming.url ?? "/").split("?")[0] ?? "/", header);
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
