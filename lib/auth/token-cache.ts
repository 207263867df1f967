import { getSql } from "@/lib/db";
import { logger } from "@/lib/logger";

const CHANNEL = "auth_changes";
// An upper bound on staleness should a notification ever be lost.
const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

/**
 * Which user each recently seen API token belongs to, so that a token
 * client's status poll costs one query (the job), not two. Correct because
 * every change that could make an entry wrong sends NOTIFY auth_changes (the
 * auth_change_feed migration) and clears every process's cache; entries are
 * only kept while that LISTEN is up, and for at most TTL_MS.
 */
class TokenCache<Owner> {
  private readonly entries = new Map<string, { owner: Owner; storedAt: number }>();
  private listening: Promise<void> | null = null;
  private live = false;

  get(hash: string): Owner | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (!this.live || Date.now() - entry.storedAt > TTL_MS) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry.owner;
  }

  set(hash: string, owner: Owner) {
    this.start();
    if (!this.live) return;
    // Oldest first out: a Map iterates in insertion order.
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(hash, { owner, storedAt: Date.now() });
  }

  clear() {
    this.entries.clear();
  }

  private start() {
    this.listening ??= getSql()
      .listen(
        CHANNEL,
        () => this.clear(),
        // First connect, and every reconnect: whatever was missed meanwhile is dropped.
        () => {
          this.clear();
          this.live = true;
        },
      )
      .then(
        () => undefined,
        (error) => {
          logger.warn({ err: error }, "auth change feed unavailable; API tokens are checked on every request");
          this.live = false;
          this.listening = null;
        },
      );
  }
}

const holder = globalThis as typeof globalThis & { __acceptedTokenCache?: TokenCache<unknown> };

/** This process's token cache. */
export function tokenCache<Owner>(): TokenCache<Owner> {
  holder.__acceptedTokenCache ??= new TokenCache<unknown>();
  return holder.__acceptedTokenCache as TokenCache<Owner>;
}
