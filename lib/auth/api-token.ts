import { createHash } from "node:crypto";
import { and, eq, isNull, or, sql } from "drizzle-orm";
import { type Database, oncePerClient } from "@/db/client";
import { apiKeys, users } from "@/db/schema";
import { tokenCache } from "./token-cache";

/**
 * How better-auth's api-key plugin stores a token: SHA-256, base64url without
 * padding. The plugin creates, lists and revokes tokens; checking one on every
 * API request is done here, in one indexed query (or none, from the cache),
 * because the plugin's own check costs four statements, including a write, per
 * request (measured by `npm run bench`). Tests create tokens through the
 * plugin and use them here.
 */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

function prepare(db: Database) {
  return db
    .select({
      keyId: apiKeys.id,
      lastRequest: apiKeys.lastRequest,
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.referenceId))
    .where(
      and(
        eq(apiKeys.key, sql.placeholder("hash")),
        or(isNull(apiKeys.enabled), eq(apiKeys.enabled, true)),
        or(isNull(apiKeys.expiresAt), sql`${apiKeys.expiresAt} > now()`),
        or(isNull(users.banned), eq(users.banned, false)),
      ),
    )
    .prepare("find_api_token_owner");
}
const tokenOwnerStatement = oncePerClient(prepare);

type TokenOwner = Awaited<ReturnType<ReturnType<typeof prepare>["execute"]>>[number];

/**
 * The user a token belongs to, if it is a live token of a user in good
 * standing: from this process's cache when it can be trusted, else one query.
 */
export async function findTokenOwner(db: Database, token: string): Promise<TokenOwner | null> {
  const hash = hashApiToken(token);
  const cache = tokenCache<TokenOwner>();
  let owner = cache.get(hash);
  if (!owner) {
    [owner] = await tokenOwnerStatement(db).execute({ hash });
    if (!owner) return null;
    cache.set(hash, owner);
  }
  noteTokenUse(db, owner.keyId, owner.lastRequest);
  return owner;
}

// "Last used" on the tokens page, to the minute: at most one write per token
// per minute per process, after the answer, never in the request's way.
const USE_RESOLUTION_MS = 60_000;
const lastNoted = new Map<string, number>();
function noteTokenUse(db: Database, keyId: string, lastRequest: Date | null) {
  const now = Date.now();
  const known = Math.max(lastNoted.get(keyId) ?? 0, lastRequest?.getTime() ?? 0);
  if (now - known < USE_RESOLUTION_MS) return;
  lastNoted.set(keyId, now);
  db.update(apiKeys)
    .set({ lastRequest: sql`now()` })
    .where(eq(apiKeys.id, keyId))
    .catch(() => lastNoted.delete(keyId));
}
