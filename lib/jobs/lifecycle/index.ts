/**
 * The only code that changes a job's state, one module per concern, each
 * transition written once and used by every caller:
 *
 *   (nothing) → queued                          submit.ts     submitJob
 *   (nothing) → queued, many as one batch       submit-batch.ts submitBatch
 *   queued    → running (unless held back)      start.ts      startAttempt, beginAttempts
 *               (or deferred: written if the attempt outlives a moment)   writeDeferredStarts
 *   running   → succeeded                       attempts.ts   completeJob
 *   queued    → succeeded (a deferred attempt)  attempts.ts   completeJob
 *   running   → queued | failed                 attempts.ts   recordAttemptFailure
 *               (an attempt failed, or its worker died: recovery.ts comes here too)
 *   queued | running → cancelled                commands.ts   cancelJob, cancelBatch
 *   queued    → cancelled (past its startBy)    start-by.ts   cancelUnstarted
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
  forgetExpiredIdempotencyKeys,
  IDEMPOTENCY_KEY_TTL_HOURS,
  type SubmitJob,
  type SubmitOutcome,
  submitJob,
} from "./submit";
export { type BatchItem, type BatchOutcome, submitBatch } from "./submit-batch";
