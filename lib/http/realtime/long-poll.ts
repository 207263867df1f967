import type { Caller } from "@/lib/auth/caller";
import { connectionAllowance, connectionCounts } from "@/lib/connection-caps";
import { TooManyConnections } from "@/lib/errors";
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

/**
 * Runs `work` with a wait of `waitS` seconds held as one of the caller's
 * connections, claimed before anything is written. A caller at their cap is
 * not refused (the submit is what they came for): their work runs with no
 * wait, and they follow the job as usual.
 */
export async function withWaitAllowance<T>(caller: Caller, waitS: number, work: (waitS: number) => Promise<T>) {
  if (waitS === 0) return work(0);
  let release: () => void;
  try {
    release = connectionCounts().claim(connectionAllowance(caller), { paced: false });
  } catch (error) {
    if (error instanceof TooManyConnections) return work(0);
    throw error;
  }
  try {
    return await work(waitS);
  } finally {
    release();
  }
}

/**
 * Follows a resource just written (`Prefer: wait=N` on a submit) until it
 * `isFinished`, `waitS` seconds pass or the client leaves: each change the
 * feed reports is read again. Returns it as it last was: what was written
 * is committed, so a wait that fails (the feed, a read) answers with what
 * is known rather than an error a client would take for a failed submit.
 */
export async function waitUntilFinished<T extends { version: number }>(
  current: T,
  follow: {
    read: () => Promise<T>;
    isFinished: (resource: T) => boolean;
    waitForChange: (version: number, timeoutMs: number, signal: AbortSignal) => Promise<boolean>;
  },
  waitS: number,
  signal: AbortSignal,
): Promise<T> {
  const deadline = Date.now() + waitS * 1000;
  let latest = current;
  try {
    while (!follow.isFinished(latest)) {
      const leftMs = deadline - Date.now();
      if (leftMs <= 0 || signal.aborted) break;
      if (!(await follow.waitForChange(latest.version, leftMs, signal))) break;
      latest = await follow.read();
    }
  } catch {
    // As it last was.
  }
  return latest;
}
