import { EventEmitter } from "node:events";
import { getListener } from "@/lib/db";
import { logger } from "@/lib/logger";

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
  private readonly emitter = new EventEmitter().setMaxListeners(0);
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
        (userId) => this.emitter.emit("change", { userId: userId || null } satisfies AuthChange),
        // First connect, and every reconnect.
        () => {
          this.connected = true;
          this.emitter.emit("change", { userId: null } satisfies AuthChange);
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

  subscribe(listener: (change: AuthChange) => void): () => void {
    void this.start();
    this.emitter.on("change", listener);
    return () => this.emitter.off("change", listener);
  }
}

const holder = globalThis as typeof globalThis & { __acceptedAuthChanges?: AuthChanges };

export function authChanges(): AuthChanges {
  holder.__acceptedAuthChanges ??= new AuthChanges();
  return holder.__acceptedAuthChanges;
}
