import type { Job } from "@/db/schema";
import { findJobType } from "./registry";

export const statusUri = (id: string) => `/api/jobs/${id}`;
export const resultUri = (id: string) => `/api/jobs/${id}/result`;
export const batchUri = (id: string) => `/api/batches/${id}`;

/** The status representation: the same body for 202, the monitor and the list. */
export function toJobStatus(job: Job) {
  const jobType = findJobType(job.type);
  return {
    id: job.id,
    type: job.type,
    title: jobType?.title ?? job.type,
    state: job.state,
    // Queued, and waiting because an admin paused its type: it starts once the type is resumed.
    paused: job.state === "queued" && job.paused,
    // Grows with every change: SSE event id, ETag, and how clients order updates.
    version: job.version,
    progress: job.progress,
    message: job.message,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    attemptErrors: job.attemptErrors,
    input: job.input,
    // The batch it was submitted in, if any (links.batch is its status monitor).
    batchId: job.batchId,
    notifyWhenDone: job.notifyWhenDone,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    updatedAt: job.updatedAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    estimatedCompletionAt: job.estimatedCompletionAt?.toISOString() ?? null,
    retryAt: job.retryAt?.toISOString() ?? null,
    // The result is described, never inlined: it is served by its own resource.
    result: job.result?.kind === "file" ? { ...job.result } : job.result ? { kind: job.result.kind } : null,
    error: job.error ? { ...job.error, instance: statusUri(job.id) } : null,
    cancelledAt: job.cancelledAt?.toISOString() ?? null,
    cancelledBy: job.cancelledBy,
    // When the job and its result stop being kept; once expiredAt is set the
    // result is gone and the status URI answers 410.
    expiresAt: job.expiresAt?.toISOString() ?? null,
    expiredAt: job.expiredAt?.toISOString() ?? null,
    links: {
      self: statusUri(job.id),
      ...(job.batchId ? { batch: batchUri(job.batchId) } : {}),
      ...(job.state === "succeeded" && job.result && job.result.kind !== "none" ? { result: resultUri(job.id) } : {}),
      // DELETE the status URI to cancel; POST here to run a failed job again.
      ...(job.state === "queued" || job.state === "running" ? { cancel: statusUri(job.id) } : {}),
      ...(job.state === "failed" && !job.expiredAt ? { retry: `${statusUri(job.id)}/retry` } : {}),
    },
  };
}

export type JobStatus = ReturnType<typeof toJobStatus>;
