import type { Caller } from "./auth/caller";
import { config } from "./config";
import { TooManyConnections } from "./errors";

/**
 * Whose connections one counts against, and how many they may hold: a user
 * (REALTIME_MAX_CONNECTIONS_PER_USER), or one read-only job token, which has
 * a small allowance of its own (JOB_TOKEN_MAX_CONNECTIONS) so that whoever
 * is handed a token cannot use up its owner's.
 */
export interface ConnectionAllowance {
  key: string;
  cap: number;
}

/**
 * Whose realtime connections a caller's count against: the user's own, or,
 * with a read-only job token, that token's small allowance, apart from its
 * owner's (a token handed to a browser must not be able to cut the owner off).
 */
export function connectionAllowance(caller: Caller): ConnectionAllowance {
  const settings = config();
  if (caller.via !== "job-token") return { key: caller.id, cap: settings.REALTIME_MAX_CONNECTIONS_PER_USER };
  // Never the owner's allowance by mistake: a job token's caller always carries its key.
  if (!caller.jobTokenKey) throw new Error("a job token's caller has no jobTokenKey");
  return { key: `job-token:${caller.jobTokenKey}`, cap: settings.JOB_TOKEN_MAX_CONNECTIONS };
}

/**
 * Open realtime connections (SSE streams, WebSockets, long polls) per user
 * (or job token) in this process. Each holds memory and, when it replays, the database: one
 * user opening thousands would slow everyone else, so past
 * REALTIME_MAX_CONNECTIONS_PER_USER the next is refused, as are openings
 * faster than OPENS_PER_SECOND once a burst as big as the cap is spent. Per process, as
 * the connections themselves are: behind a balancer each instance counts
 * its own.
 */
const OPENS_PER_SECOND = 10;

/** The counts themselves: one per process, whichever copy of this module (Next's bundle, our server's) asks. */
interface Counts {
  open: Map<string, number>;
  // Opening costs more than holding (authentication, a replay): a token
  // bucket per user, as deep as the cap, refilled at OPENS_PER_SECOND, so a
  // reconnect storm from one user is spread out rather than served at once.
  opens: Map<string, { tokens: number; at: number }>;
}

class ConnectionCounts {
  private readonly open: Map<string, number>;
  private readonly opens: Map<string, { tokens: number; at: number }>;

  constructor(counts: Counts) {
    this.open = counts.open;
    this.opens = counts.opens;
  }

  /**
   * Counts one more connection for the user, or throws TooManyConnections;
   * returns its release (idempotent). `paced`: the opening also takes from
   * the user's bucket (streams and sockets, which replay; not long polls,
   * which a client opens one after another as the job changes).
   */
  claim({ key: userId, cap }: ConnectionAllowance, { paced = true } = {}): () => void {
    const count = this.open.get(userId) ?? 0;
    if (count >= cap || (paced && !this.takeOpening(userId, cap))) throw new TooManyConnections(cap);
    this.open.set(userId, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(userId) ?? 1) - 1;
      if (left > 0) this.open.set(userId, left);
      else {
        this.open.delete(userId);
        // A bucket that has refilled is the default one: forgotten, so users who left cost nothing.
        const bucket = this.opens.get(userId);
        if (bucket && bucket.tokens + ((performance.now() - bucket.at) / 1000) * OPENS_PER_SECOND >= cap)
          this.opens.delete(userId);
      }
    };
  }

  private takeOpening(userId: string, depth: number): boolean {
    const now = performance.now();
    const bucket = this.opens.get(userId) ?? { tokens: depth, at: now };
    bucket.tokens = Math.min(depth, bucket.tokens + ((now - bucket.at) / 1000) * OPENS_PER_SECOND);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    this.opens.set(userId, bucket);
    return true;
  }

  /** Runs `wait` (a long poll) as one of the user's connections; throws TooManyConnections past the cap. */
  async holding<T>(allowance: ConnectionAllowance, wait: () => Promise<T>): Promise<T> {
    const release = this.claim(allowance, { paced: false });
    try {
      return await wait();
    } finally {
      release();
    }
  }

  /** Every user's open connections in this process, for /api/metrics. */
  get total(): number {
    let total = 0;
    for (const count of this.open.values()) total += count;
    return total;
  }
}

// The counts on globalThis: Next's bundles and our own server (server.ts) share one count. The methods are each
// copy's own, so a refusal is that copy's TooManyConnections, which its own problem mapping recognises (one
// copy's class is not the other's: the first to ask must not decide which error everyone else gets).
const holder = globalThis as typeof globalThis & { __acceptedConnectionCounts?: Counts };
let counts: ConnectionCounts | undefined;

export function connectionCounts(): ConnectionCounts {
  holder.__acceptedConnectionCounts ??= { open: new Map(), opens: new Map() };
  counts ??= new ConnectionCounts(holder.__acceptedConnectionCounts);
  return counts;
}
