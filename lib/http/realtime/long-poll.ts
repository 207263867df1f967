import type { Caller } from "@/lib/auth/caller";
import { connectionAllowance, connectionCounts } from "@/lib/connection-caps";
import { ifNoneMatch, preferredWaitSeconds } from "../conditional";

/** What a conditional read of a versioned resource comes to: the resource, and whether the client has it already. */
export interface ConditionalRead<T> {
  current: T;
  /** If-None-Match names the current version (after the long poll, if there was one): answer 304. */
  unchanged: boolean;
  /** The seconds `Prefer: wait=N` asked for (0: none), for Preference-Applied. */
  waitedS: number;
}

/**
 * A status monitor's read: with If-None-Match naming the version the
 * client has and `Prefer: wait=N`, a long poll that holds the request until
 * the resource changes (`waitForChange`, fed by the change feed) or N
 * seconds pass, counting against the caller's realtime connections
 * meanwhile; then the resource read again.
 */
export async function readConditionally<T extends { version: number }>(
  { request, caller }: { request: Request; caller: Caller },
  read: () => Promise<T>,
  waitForChange: (version: number, timeoutMs: number, signal: AbortSignal) => Promise<boolean>,
): Promise<ConditionalRead<T>> {
  let current = await read();
  const known = ifNoneMatch(request);
  if (!known(current.version)) return { current, unchanged: false, waitedS: 0 };
  const waitedS = preferredWaitSeconds(request);
  if (waitedS > 0) {
    const version = current.version;
    const changed = await connectionCounts().holding(connectionAllowance(caller), () =>
      waitForChange(version, waitedS * 1000, request.signal),
    );
    if (changed) current = await read();
  }
  return { current, unchanged: known(current.version), waitedS };
}
