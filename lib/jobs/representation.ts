import type { z } from "zod";
import type { Job, JobState } from "@/db/schema";
import type { jobStatusSchema } from "@/lib/jobs/status-schemas";
import { traceIdOf } from "@/lib/tracing";
import { findJobType } from "./registry";
import { isTerminal, isUnstarted } from "./states";

/** The status representation, as the API declares it (jobStatusSchema): what toJobStatus must build. */
export type JobStatus = z.infer<typeof jobStatusSchema>;

export const statusUri = (id: string) => `/api/jobs/${id}`;
export const resultUri = (id: string) => `/api/jobs/${id}/result`;
export const batchUri = (id: string) => `/api/batches/${id}`;
export const scheduleUri = (id: string) => `/api/schedules/${id}`;

/**
 * What the status representation says of a job's row: everything but its
 * type's title and its links, which follow from these. A webhook delivery
 * keeps exactly this, as it was when the event happened, built in SQL by
 * job_status_snapshot (db/functions/jobs.sql; test/unit/webhooks.test.ts
 * holds the two to the same output).
 */
function statusFields(job: Job) {
  return {
    id: job.id,
    type: job.type,
    state: job.state,
    // Not started, and waiting because an admin paused its type: it starts once the type is resumed.
    paused: isUnstarted(job.state) && job.paused,
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
    startBy: job.startBy?.toISOString() ?? null,
    // Not before this: a scheduled job waits for it (its submit's runAt, or its schedule's firing time).
    runAt: job.runAt?.toISOString() ?? null,
    concurrencyKey: job.concurrencyKey,
    // The schedule whose firing made it, if one did.
    scheduleId: job.scheduleId,
    // The trace its submit began (tracing on): the request, each attempt, each webhook delivery.
    traceId: traceIdOf(job.traceParent),
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
  };
}

/**
 * Whether a job has a result to fetch at its result URI: it succeeded with
 * one (not "none") and has not expired. The one place this is decided: the
 * status monitor's 303, links.result of a job and of a batch's items.
 */
export function hasResultResource(job: {
  state: JobState;
  result: { kind: string } | null;
  expiredAt: Date | string | null;
}): boolean {
  return job.state === "succeeded" && job.result !== null && job.result.kind !== "none" && !job.expiredAt;
}

/** A job's status representation as stored for a webhook delivery (job_status_snapshot). */
export type JobStatusSnapshot = ReturnType<typeof statusFields>;

/** The status representation from its stored fields: the type's title and the links added. */
export function fromStatusSnapshot(fields: JobStatusSnapshot): JobStatus {
  const { id, type, ...rest } = fields;
  return {
    id,
    type,
    title: findJobType(type)?.title ?? type,
    ...rest,
    // Deliveries stored before these fields existed lack them.
    runAt: rest.runAt ?? null,
    concurrencyKey: rest.concurrencyKey ?? null,
    scheduleId: rest.scheduleId ?? null,
    links: {
      self: statusUri(id),
      ...(fields.batchId ? { batch: batchUri(fields.batchId) } : {}),
      ...(hasResultResource(fields) ? { result: resultUri(id) } : {}),
      // DELETE the status URI to cancel; POST here to run a failed job again.
      ...(fields.scheduleId ? { schedule: scheduleUri(fields.scheduleId) } : {}),
      ...(isTerminal(fields.state) ? {} : { cancel: statusUri(id) }),
      ...(fields.state === "failed" && !fields.expiredAt ? { retry: `${statusUri(id)}/retry` } : {}),
    },
  };
}

/** The status representation: the same body for 202, the monitor and the list. */
export function toJobStatus(job: Job): JobStatus {
  return fromStatusSnapshot(statusFields(job));
}
