import { randomBytes } from "node:crypto";
import { and, eq, gt, isNotNull, isNull, or, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { jobReadTokens, jobs, users } from "@/db/schema";
import { hashApiToken } from "./api-token";
import { tokenCache } from "./token-cache";

/**
 * Read-only job tokens: a token that can read one job (its status, long
 * poll, events and result) until it expires, and nothing else. The owner's
 * backend makes one with its API token and hands it to a browser. Like API
 * tokens, only a hash is stored; a job token is told apart by its prefix.
 */

export const JOB_TOKEN_PREFIX = "ajt_";
/** How long a job token lives unless asked otherwise, and at most (seconds). */
export const JOB_TOKEN_DEFAULT_TTL_S = 3_600;
export const JOB_TOKEN_MAX_TTL_S = 86_400;

export const isJobToken = (token: string) => token.startsWith(JOB_TOKEN_PREFIX);

/** Makes a token for `jobId` (whose caller was checked may read it), valid `ttlSeconds`. */
export async function createJobToken(
  db: Database,
  jobId: string,
  createdBy: string,
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: Date }> {
  const token = `${JOB_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const [row] = await db
    .insert(jobReadTokens)
    .values({
      jobId,
      createdBy,
      tokenHash: hashApiToken(token),
      expiresAt: sql`now() + make_interval(secs => ${ttlSeconds}::int)`,
    })
    .returning({ expiresAt: jobReadTokens.expiresAt });
  if (!row) throw new Error("insert returned nothing");
  return { token, expiresAt: row.expiresAt };
}

export interface JobTokenGrant {
  jobId: string;
  /** The job's owner, as whom the token reads (null: a job from before users existed). */
  ownerId: string | null;
  expiresAt: Date;
}

/**
 * What a job token grants, if it is live: unexpired, and its job's owner
 * (if any) still in good standing. From the token cache when it can be
 * trusted (so a status poll with a job token is one query, as with an API
 * token; a ban clears the cache, and expiry is checked here), else one query.
 */
export async function findJobToken(db: Database, token: string): Promise<JobTokenGrant | null> {
  const hash = hashApiToken(token);
  const cache = tokenCache<JobTokenGrant>();
  const cached = cache.get(hash);
  if (cached) return cached.expiresAt.getTime() > Date.now() ? cached : null;
  const [grant] = await db
    .select({ jobId: jobReadTokens.jobId, ownerId: jobs.ownerId, expiresAt: jobReadTokens.expiresAt })
    .from(jobReadTokens)
    .innerJoin(jobs, eq(jobs.id, jobReadTokens.jobId))
    .leftJoin(users, eq(users.id, jobs.ownerId))
    .where(
      and(
        eq(jobReadTokens.tokenHash, hash),
        gt(jobReadTokens.expiresAt, sql`now()`),
        or(isNull(jobs.ownerId), and(isNotNull(users.id), or(isNull(users.banned), eq(users.banned, false)))),
      ),
    );
  if (!grant) return null;
  cache.set(hash, grant);
  return grant;
}

/** Forgets expired job tokens; the scheduled housekeeping calls it. Returns how many. */
export async function forgetExpiredJobTokens(db: Database): Promise<number> {
  const forgotten = await db
    .delete(jobReadTokens)
    .where(sql`${jobReadTokens.expiresAt} < now() - interval '1 day'`)
    .returning({ id: jobReadTokens.id });
  return forgotten.length;
}
