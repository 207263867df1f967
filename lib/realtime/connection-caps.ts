import { config } from "@/lib/config";
import { TooManyConnections } from "@/lib/errors";

/**
 * Open realtime connections (SSE streams, WebSockets, long polls) per user
 * in this process. Each holds memory and, when it replays, the database: one
 * user opening thousands would slow everyone else, so past
 * REALTIME_MAX_CONNECTIONS_PER_USER the next is refused. Per process, as
 * the connections themselves are: behind a balancer each instance counts
 * its own.
 */
class ConnectionCounts {
  private readonly open = new Map<string, number>();

  /** Counts one more connection for the user, or throws TooManyConnections; returns its release (idempotent). */
  claim(userId: string): () => void {
    const cap = config().REALTIME_MAX_CONNECTIONS_PER_USER;
    const count = this.open.get(userId) ?? 0;
    if (count >= cap) throw new TooManyConnections(cap);
    this.open.set(userId, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(userId) ?? 1) - 1;
      if (left > 0) this.open.set(userId, left);
      else this.open.delete(userId);
    };
  }

  /** Runs `wait` (a long poll) as one of the user's connections; throws TooManyConnections past the cap. */
  async holding<T>(userId: string, wait: () => Promise<T>): Promise<T> {
    const release = this.claim(userId);
    try {
      return await wait();
    } finally {
      release();
    }
  }

  of(userId: string): number {
    return this.open.get(userId) ?? 0;
  }
}

// On globalThis: Next's bundles and our own server (server.ts) share one count.
const holder = globalThis as typeof globalThis & { __acceptedConnectionCounts?: ConnectionCounts };

export function connectionCounts(): ConnectionCounts {
  holder.__acceptedConnectionCounts ??= new ConnectionCounts();
  return holder.__acceptedConnectionCounts;
}
