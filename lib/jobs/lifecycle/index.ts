/**
 * The only code that changes a job's state, one module per concern, each
 * transition written once and used by every caller:
 *
 *   (nothing) → queued | scheduled              submit.ts     submitJob (createJob inside a transaction)
 *               (scheduled: a runAt ahead; a schedule's firing submits through createJob: lib/schedules/fire.ts)
 *   (nothing) → queued | scheduled, as a batch  submit-batch.ts submitBatch
 *   scheduled → queued (its runAt has come)     release.ts    releaseScheduled
 *   queued    → running (unless held back)      start.ts      startAttempt, beginAttempts
 *               (or deferred: written if the attempt outlives a moment)   writeDeferredStarts
 *   running   → succeeded                       attempts.ts   completeJob
 *   queued    → succeeded (a deferred attempt)  attempts.ts   completeJob
 *   running   → queued | failed                 attempts.ts   recordAttemptFailure
 *               (an attempt failed, or its worker died: recovery.ts comes here too)
 *   scheduled | queued | running → cancelled    commands.ts   cancelJob, cancelBatch
 *   scheduled | queued → cancelled (startBy)    start-by.ts   cancelUnstarted
 *   failed    → queued                          commands.ts   retryJob
 *   finished  → expired (result deleted)        expiry.ts     expireJobs
 *
 * Every UPDATE names the states it may move from. Calls into graphile-
 * worker's schema go through lib/queue/graphile-worker.ts.
 */
export {
  type AttemptFailure,
  type Completion,
  completeJob,
  completeJobs,
  JOB_FAILED,
  recordAttemptFailure,
  recordProgress,
} from "./attempts";
export { type CommandOptions, cancelBatch, cancelJob, retryJob } from "./commands";
export { expireJobs } from "./expiry";
export { findDeadWorkers, forgetHeartbeats, recordHeartbeat, releaseDeadWorkers } from "./recovery";
export { releaseScheduled } from "./release";
export {
  beginAttempts,
  type DeferredStart,
  requeueHeld,
  type StartOutcome,
  type StartRequest,
  startAttempt,
  startAttempts,
  writeDeferredStarts,
} from "./start";
export { cancelUnstarted, START_BY_ACTOR } from "./start-by";
export {
  createJob,
  forgetExpiredIdempotencyKeys,
  IDEMPOTENCY_KEY_TTL_HOURS,
  type SubmitJob,
  type SubmitOutcome,
  submitJob,
} from "./submit";
export { type BatchItem, type BatchOutcome, submitBatch } from "./submit-batch";
