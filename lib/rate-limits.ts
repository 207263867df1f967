import { sql } from "drizzle-orm";
import ipaddr from "ipaddr.js";
import type { Database } from "@/db/client";
import { rateLimitWindows } from "@/db/schema";
import { RateLimited } from "@/lib/errors";

/**
 * Request rate limits that hold across every web process: the count lives in
 * PostgreSQL (rate_limit_windows), which they all share, and is taken in one
 * statement, so concurrent requests cannot both slip under it. A fixed
 * window per limit and subject (a user, a client address).
 */
export interface RateLimit {
  /** Names the limit in its key and in the 429 problem (`upload`, `sign-in`). */
  name: string;
  max: number;
  windowSeconds: number;
}

/** Counts one hit of `limit` for `subject`; throws RateLimited past its max, saying when the window reopens. */
export async function takeRateLimit(db: Database, limit: RateLimit, subject: string): Promise<void> {
  const expired = sql`${rateLimitWindows.windowStartedAt} <= now() - make_interval(secs => ${limit.windowSeconds})`;
  const [row] = await db
    .insert(rateLimitWindows)
    .values({ key: `${limit.name}:${subject}`, windowStartedAt: sql`now()`, hits: 1 })
    .onConflictDoUpdate({
      target: rateLimitWindows.key,
      set: {
        windowStartedAt: sql`case when ${expired} then now() else ${rateLimitWindows.windowStartedAt} end`,
        hits: sql`case when ${expired} then 1 else ${rateLimitWindows.hits} + 1 end`,
      },
    })
    .returning({
      hits: rateLimitWindows.hits,
      retryAfterSeconds: sql<number>`ceil(extract(epoch from ${rateLimitWindows.windowStartedAt}
        + make_interval(secs => ${limit.windowSeconds}) - now()))::int`,
    });
  // Clamped: the window's start is stored to the millisecond, rounded, and may sit a fraction in the future.
  const retryAfterSeconds = Math.min(limit.windowSeconds, Math.max(1, row?.retryAfterSeconds ?? 1));
  if (row && row.hits > limit.max) throw new RateLimited(limit, retryAfterSeconds);
}

/** Forgets windows that have ended (the scheduled housekeeping): a subject seen once costs a row for a while only. */
export async function forgetEndedRateWindows(db: Database, longestWindowSeconds = 3_600): Promise<number> {
  const forgotten = await db
    .delete(rateLimitWindows)
    .where(sql`${rateLimitWindows.windowStartedAt} < now() - make_interval(secs => ${longestWindowSeconds})`)
    .returning({ key: rateLimitWindows.key });
  return forgotten.length;
}

/**
 * Whom a limit per client address counts: the address, or for IPv6 its /64
 * (a single host is usually handed a whole /64, and would otherwise have as
 * many allowances as addresses it cares to use).
 */
export function rateLimitSubject(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === "ipv4") return parsed.toString();
  return `${(parsed as ipaddr.IPv6).parts
    .slice(0, 4)
    .map((part) => part.toString(16))
    .join(":")}::/64`;
}
