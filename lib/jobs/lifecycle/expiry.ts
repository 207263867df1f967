import { and, eq, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { jobFiles, jobs } from "@/db/schema";
import { type Actor, recordAudit } from "@/lib/audit";
import { deleteJobLogs } from "../logs";

/**
 * finished → expired: the result, the result file and the job's log are deleted and
 * expired_at is set, so the status URI answers 410 Gone from then on (the
 * row stays, as the record that the job existed). Either the jobs whose
 * expiry has come, a batch at a time (the scheduled purge), or one finished
 * job now (an admin purging early, audited). Returns the ids expired.
 */
export async function expireJobs(
  db: Database,
  which: { due: true; limit: number } | { id: string; auditedAs: Actor },
): Promise<string[]> {
  return db.transaction(async (tx) => {
    const candidates =
      "id" in which
        ? and(eq(jobs.id, which.id), isNull(jobs.expiredAt), isNotNull(jobs.finishedAt))
        : inArray(
            jobs.id,
            tx
              .select({ id: jobs.id })
              .from(jobs)
              .where(and(isNull(jobs.expiredAt), lte(jobs.expiresAt, sql`now()`)))
              .limit(which.limit),
          );
    const expired = await tx
      .update(jobs)
      .set({ expiredAt: sql`now()`, result: null, updatedAt: sql`now()` })
      .where(candidates)
      .returning({ id: jobs.id });
    const ids = expired.map((row) => row.id);
    if (ids.length > 0) await tx.delete(jobFiles).where(inArray(jobFiles.jobId, ids));
    await deleteJobLogs(tx, ids);
    if (ids.length > 0 && "auditedAs" in which) {
      await recordAudit(tx, { actor: which.auditedAs, action: "expire", jobIds: ids });
    }
    return ids;
  });
}
