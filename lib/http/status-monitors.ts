import type { Job } from "@/db/schema";
import { jobScope } from "@/lib/auth/caller";
import { batchJobIds, waitForBatchChange } from "@/lib/change-feed/batch-changes";
import { jobFeed } from "@/lib/change-feed/job-feed";
import { getDb } from "@/lib/db";
import { findBatch, isBatchFinished, requireBatch } from "@/lib/jobs/batch-status";
import { type JobScope, requireJob } from "@/lib/jobs/queries";
import { isTerminal } from "@/lib/jobs/states";
import { batches, jobs } from "./api";
import { batchMonitorResponse, batchNotModifiedResponse } from "./batch-responses";
import { notModifiedResponse, statusMonitorResponse } from "./job-responses";
import { readConditionally } from "./realtime/long-poll";
import { handle } from "./route";

/**
 * The status monitors: the URIs that 202 Accepted's Location names. Here
 * rather than in their route files because two servers serve them: Next.js
 * (app/api/jobs/[id], app/api/batches/[id]) and our own, which answers their
 * long polls itself (lib/http/realtime/edge.ts).
 */

/**
 * A job's status monitor. With If-None-Match naming the current version it
 * answers 304; adding `Prefer: wait=N` makes it a long poll that answers as
 * soon as the job changes, or 304 after N seconds.
 */
export const jobMonitor = handle(jobs.getJob, async (context) => {
  const { params, query, caller } = context;
  const scope = jobScope(caller);
  const { current, unchanged, waitedS } = await readConditionally(
    context,
    () => requireJob(getDb(), scope, params.id),
    (version, timeoutMs, signal) => jobFeed().waitForChange(params.id, version, timeoutMs, signal),
  );
  if (unchanged) return notModifiedResponse(current, waitedS);
  return statusMonitorResponse(current, { redirect: query.redirect });
});

/** How a submit with `Prefer: wait=N` follows its job to its end (waitUntilFinished). */
export const followJob = (scope: JobScope, id: string) => ({
  read: () => requireJob(getDb(), scope, id),
  isFinished: (job: Job) => isTerminal(job.state),
  waitForChange: (version: number, timeoutMs: number, signal: AbortSignal) =>
    jobFeed().waitForChange(id, version, timeoutMs, signal),
});

/** How a batch submit with `Prefer: wait=N` follows its batch to its end. */
export const followBatch = (scope: JobScope, id: string) => {
  const db = getDb();
  // Its jobs are read once: a batch's jobs never change.
  let jobIds: Promise<Set<string>> | undefined;
  return {
    read: () => requireBatch(db, scope, id),
    isFinished: isBatchFinished,
    waitForChange: async (version: number, timeoutMs: number, signal: AbortSignal) => {
      jobIds ??= batchJobIds(id);
      return waitForBatchChange(await jobIds, () => findBatch(db, scope, id), version, timeoutMs, signal);
    },
  };
};

/**
 * A batch's status monitor, as a job's is: 200 with counts while jobs are
 * unfinished, 303 to the result once all have; If-None-Match gives 304, and
 * with `Prefer: wait=N` a long poll that answers when any of its jobs changes.
 */
export const batchMonitor = handle(batches.getBatch, async (context) => {
  const { params, query, caller } = context;
  const scope = jobScope(caller);
  const db = getDb();
  const { current, unchanged, waitedS } = await readConditionally(
    context,
    () => requireBatch(db, scope, params.id),
    async (version, timeoutMs, signal) =>
      waitForBatchChange(
        await batchJobIds(params.id),
        () => findBatch(db, scope, params.id),
        version,
        timeoutMs,
        signal,
      ),
  );
  if (unchanged) return batchNotModifiedResponse(current, waitedS);
  return batchMonitorResponse(current, { redirect: query.redirect });
});
