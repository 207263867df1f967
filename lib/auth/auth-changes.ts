import { getListener } from "@/lib/db";
import { logger } from "@/lib/logger";
import { addTo, removeFrom } from "@/lib/multimap";

const CHANNEL = "auth_changes";

/** One change heard: the user it is about, or null when anything may have changed (a reconnect). */
export type AuthChange = { userId: string | null };

/**
 * This process's one LISTEN on auth_changes, which triggers on users,
 * sessions and API tokens send at commit (the auth_change_per_user
 * migration) with the user concerned. The token cache clears on it, and
 * open event streams re-check their credential. A reconnect announces
 * `userId: null`: whatever was missed meanwhile counts as changed.
 */
class AuthChanges {
  private readonly everyChange = new Set<(change: AuthChange) => void>();
  // Open streams and sockets, by user: a change about one user reaches only theirs.
  private readonly byUser = new Map<string, Set<(change: AuthChange) => void>>();
  private listening: Promise<void> | null = null;
  private connected = false;

  /** True while LISTEN is up, so a cache may trust that it hears every change. */
  get live(): boolean {
    return this.connected;
  }

  start(): Promise<void> {
    this.listening ??= getListener()
      .listen(
        CHANNEL,
        (userId) => this.announce({ userId: userId || null }),
        // First connect, and every reconnect.
        () => {
          this.connected = true;
          this.announce({ userId: null });
        },
      )
      .then(
        () => undefined,
        (error) => {
          logger.warn({ err: error }, "auth change feed unavailable; credentials are checked on every request");
          this.connected = false;
          this.listening = null;
        },
      );
    return this.listening;
  }

  private announce(change: AuthChange) {
    const listeners =
      change.userId === null
        ? [...this.byUser.values()].flatMap((set) => [...set])
        : [...(this.byUser.get(change.userId) ?? [])];
    for (const listener of [...this.everyChange, ...listeners]) listener(change);
  }

  /** Hears every change, about any user. */
  subscribe(listener: (change: AuthChange) => void): () => void {
    void this.start();
    this.everyChange.add(listener);
    return () => this.everyChange.delete(listener);
  }

  /** Hears the changes about one user (and the reconnects, which may be about anyone). */
  subscribeUser(userId: string, listener: (change: AuthChange) => void): () => void {
    void this.start();
    addTo(this.byUser, userId, listener);
    return () => removeFrom(this.byUser, userId, listener);
  }
}

const holder = globalThis as typeof globalThis & { __acceptedAuthChanges?: AuthChanges };

export function authChanges(): AuthChanges {
  holder.__acceptedAuthChanges ??= new AuthChanges();
  return holder.__acceptedAuthChanges;
}
