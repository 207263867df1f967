import { authChanges } from "./auth-changes";

// An upper bound on staleness should a notification ever be lost.
const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

/**
 * Which user each recently seen API token belongs to, so that a token
 * client's status poll costs one query (the job), not two. Correct because
 * every change that could make an entry wrong sends NOTIFY auth_changes and
 * clears every process's cache (lib/auth/auth-changes.ts); entries are only
 * kept while that LISTEN is up, and for at most TTL_MS.
 */
class TokenCache<Owner> {
  private readonly entries = new Map<string, { owner: Owner; storedAt: number }>();

  constructor() {
    // Subscribed before any stream re-checks a token on the same change, so it never reads a stale entry.
    authChanges().subscribe(() => this.clear());
  }

  get(hash: string): Owner | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (!authChanges().live || Date.now() - entry.storedAt > TTL_MS) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry.owner;
  }

  set(hash: string, owner: Owner) {
    if (!authChanges().live) return;
    // Oldest first out: a Map iterates in insertion order.
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(hash, { owner, storedAt: Date.now() });
  }

  clear() {
    this.entries.clear();
  }
}

const holder = globalThis as typeof globalThis & { __acceptedTokenCache?: TokenCache<unknown> };

/** This process's token cache. */
export function tokenCache<Owner>(): TokenCache<Owner> {
  holder.__acceptedTokenCache ??= new TokenCache<unknown>();
  return holder.__acceptedTokenCache as TokenCache<Owner>;
}
