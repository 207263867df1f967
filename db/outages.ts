import { setTimeout as sleep } from "node:timers/promises";

// postgres.js reports an unreachable server with these codes; PostgreSQL
// itself with SQLSTATE class 08 (connection) and 57P (shutting down).
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

/** True when the error means "the database is not reachable", not "the query is wrong". */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || code.startsWith("08") || code.startsWith("57P"))) {
      return true;
    }
  }
  return false;
}

/**
 * Runs `write` until it gets through, while the database is unreachable,
 * for up to `maxMs`: a job's last word (its result, its failure) must not be
 * lost to an outage that outlives the job.
 */
export async function persistThroughOutage<T>(write: () => Promise<T>, maxMs = 120_000): Promise<T> {
  const deadline = Date.now() + maxMs;
  for (let delayMs = 250; ; delayMs = Math.min(delayMs * 2, 5_000)) {
    try {
      return await write();
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() + delayMs > deadline) throw error;
      await sleep(delayMs);
    }
  }
}
