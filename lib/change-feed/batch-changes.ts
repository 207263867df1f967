import { eq } from "drizzle-orm";
import { jobs } from "@/db/schema";
import { getDb } from "@/lib/db";
import type { Batch } from "@/lib/jobs/batch-status";
import { jobFeed } from "./job-feed";

/*
 * A batch is followed through its jobs' changes on the job feed: a change to
 * any of them means its counts may have moved.
 */

/** The ids of a batch's jobs: what its streams and long polls listen for. */
export async function batchJobIds(batchId: string): Promise<Set<string>> {
  const rows = await getDb().select({ id: jobs.id }).from(jobs).where(eq(jobs.batchId, batchId));
  return new Set(rows.map((row) => row.id));
}

/** Resolves true as soon as any of the batch's jobs changes after `version` was read; false after the timeout. */
export function waitForBatchChange(
  jobIds: Set<string>,
  reread: () => Promise<Batch | null>,
  version: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<boolean> {
  return jobFeed().waitFor(
    { jobIds },
    () => true,
    async () => ((await reread())?.version ?? version + 1) > version,
    timeoutMs,
    signal,
  );
}
