import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";

/**
 * Holds, until the transaction ends, a lock on one owner's `what` (their
 * uploads, their webhook endpoints), so that a cap counted before an insert
 * still holds when many requests arrive at once, on any web process: the
 * next one counts after this one's insert is committed. Only that owner's
 * requests of that kind wait; anyone else's take another lock.
 */
export async function lockOwner(tx: Executor, what: string, ownerId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${what}), hashtext(${ownerId}))`);
}
