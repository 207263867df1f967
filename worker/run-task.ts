import type { Task } from "graphile-worker";
import { persistThroughOutage } from "@/db/outages";
import type { JobProblem } from "@/db/schema";
import { jobFeed } from "@/lib/change-feed/job-feed";
import { config } from "@/lib/config";
import { getDb } from "@/lib/db";
import { PermanentJobFailure } from "@/lib/jobs/define";
import { cancelUnstarted, JOB_FAILED, recordAttemptFailure, recordProgress, requeueHeld } from "@/lib/jobs/lifecycle";
import { logger } from "@/lib/logger";
import { queuePayload } from "@/lib/queue/graphile-worker";
import { contextOf, inSpan, SpanKind, traceIdOf } from "@/lib/tracing";
import type { AttemptWrites } from "./batched-writes";
import type { JobHandler } from "./handler";
import type { HeldTypes } from "./held-types";
import { attemptLog, type JobLogWriter } from "./job-log";
import { throttleProgress } from "./progress";
import { AttemptTimedOut, JOB_TIMED_OUT, type TimeLimits } from "./time-limits";

// A failed query's message holds its SQL and parameters: for the log, not the job's owner.
const isQueryError = (error: unknown) =>
  error instanceof Error && (error.name === "DrizzleQueryError" || error.name === "PostgresError" || "query" in error);

/** Why an attempt failed, in words its owner may read. */
function failureMessage(error: unknown): string {
  if (isQueryError(error)) return "An internal error stopped this attempt; it has been logged.";
  return error instanceof Error ? error.message : String(error);
}

function failureProblem(error: unknown): JobProblem {
  if (error instanceof AttemptTimedOut) {
    return { type: JOB_TIMED_OUT, title: "The job timed out", status: 504, detail: failureMessage(error) };
  }
  const status = error instanceof PermanentJobFailure ? error.status : 500;
  return { type: JOB_FAILED, title: "The job failed", status, detail: failureMessage(error) };
}

/** What the worker's tasks share: the held types, the batched writes, the job log writer, the time limits. */
export interface TaskServices {
  held: HeldTypes;
  writes: AttemptWrites;
  jobLogs: JobLogWriter;
  limits: TimeLimits;
}

/** One of the attempt's writes, as a span under the attempt's. */
const dbSpan = <T>(operation: string, write: () => Promise<T>) =>
  inSpan(
    `db ${operation}`,
    { kind: SpanKind.CLIENT, attributes: { "db.system.name": "postgresql", "db.operation.name": operation } },
    write,
  );

/** Rejects with the signal's reason once it aborts. */
const abortion = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));

/**
 * Aborts when the job is cancelled: the cancel's NOTIFY reaches this
 * process's job feed, carrying the new state.
 */
function watchForCancel(jobId: string) {
  const controller = new AbortController();
  const subscription = jobFeed().subscribe(
    { jobIds: [jobId] },
    {
      change: (change) => {
        if (change.state === "cancelled") controller.abort(new Error("The job was cancelled"));
      },
      // The feed reconnected: a cancel may have been missed. Reconnects come
      // with lost connections, so this read may fail too: then the completion
      // write, which only moves a running job, is what keeps a cancel a cancel.
      resync: () => {
        jobFeed()
          .readNow(jobId)
          .then(
            (job) => {
              if (job?.state === "cancelled") controller.abort(new Error("The job was cancelled"));
            },
            (error) => logger.warn({ err: error, jobId }, "could not re-read the job after the feed reconnected"),
          );
      },
    },
  );
  return { signal: controller.signal, stop: () => subscription.close() };
}

// A held job is fetched again after this long (if its type is no longer held by then).
const HELD_RETRY_SECONDS = 1;

/**
 * Turns a job type's handler into a graphile-worker task that keeps our jobs
 * row (graphile-worker's job is its shadow) current through the lifecycle.
 */
export function toGraphileTask({ jobType, run }: JobHandler, { held, writes, jobLogs, limits }: TaskServices): Task {
  const { PROGRESS_WRITE_INTERVAL_MS } = config();

  return async (payload, helpers) => {
    const { jobId, attemptOffset } = queuePayload.parse(payload);
    // Attempts before a retry from the API count on in our row.
    const attempt = attemptOffset + helpers.job.attempts;
    const maxAttempts = attemptOffset + helpers.job.max_attempts;
    let log = logger.child({ jobId, type: jobType.type, attempt });
    const db = getDb();

    // Without the feed a cancel is not heard while the job runs, yet is still
    // kept (see resync above): no reason to fail the attempt.
    await jobFeed()
      .start()
      .catch((error) => log.warn({ err: error }, "job feed unavailable; this attempt runs without hearing a cancel"));
    const cancel = watchForCancel(jobId);
    // The start is read (and, for a type with controls, written) whatever
    // the connection does meanwhile: a lost one would spend an attempt on nothing.
    const start = await persistThroughOutage(() => writes.begin(jobId, attempt)).catch((error: unknown) => {
      cancel.stop();
      throw error;
    });
    if (start.kind === "gone" || start.kind === "held") {
      cancel.stop();
      if (start.kind === "gone") {
        log.info("job already finished or gone; nothing to run");
        return;
      }
      // Back to the queue without spending an attempt: this fetch did not start one.
      held.hold(jobType.type);
      // Requeueing replaces the entry by its key: as harmless to repeat.
      await persistThroughOutage(() =>
        requeueHeld(db, {
          type: jobType.type,
          jobId,
          attemptOffset: attempt - 1,
          maxAttempts: helpers.job.max_attempts - helpers.job.attempts + 1,
          priority: helpers.job.priority,
          delaySeconds: HELD_RETRY_SECONDS,
        }),
      );
      log.debug({ reason: start.reason }, "start held back; requeued");
      return;
    }
    const { job } = start;
    // The attempt is a span of the trace its submit began (tracing on); its writes are spans under it.
    const parent = contextOf(job.traceParent ? { traceparent: job.traceParent } : null);
    const traceId = traceIdOf(job.traceParent);
    // The process's lines about this job carry its trace, to be found from either side.
    if (traceId) log = log.child({ traceId });
    const attributes = { "job.id": jobId, "job.type": jobType.type, "job.attempt": attempt };
    await inSpan(`job ${jobType.type}`, { kind: SpanKind.CONSUMER, attributes, parent }, async () => {
      const startedAt = Date.now();
      // Its submitter's deadline for the start has passed (a long queue, a paused type): cancelled, not run.
      if (job.startBy && attempt === 1 && job.startBy.getTime() <= Date.now()) {
        cancel.stop();
        held.released(jobType.type);
        await persistThroughOutage(() => cancelUnstarted(db, { jobId, attempt }));
        log.info({ startBy: job.startBy }, "not started by its startBy: cancelled");
        return;
      }
      const limitMs = await limits.of(jobType);
      // The handler's logger writes to the job's own log too; the lines above and below are the process's alone.
      const jobLog = attemptLog(jobLogs, { jobId, type: jobType.type, attempt, ...(traceId ? { traceId } : {}) });

      // A deferred attempt's start is written once it has run a moment, or
      // before its first progress or its failure is, whichever comes first;
      // one that succeeds sooner is started and ended by its completion.
      let startWrite: Promise<boolean> | null = start.kind === "started" ? Promise.resolve(true) : null;
      const writeStart = () =>
        (startWrite ??= persistThroughOutage(() =>
          dbSpan("write start", () => writes.writeStart({ jobId, attempt, elapsedMs: Date.now() - startedAt })),
        ));
      const startTimer =
        start.kind === "deferred"
          ? setTimeout(() => {
              writeStart().catch((error) => log.warn({ err: error }, "could not write the attempt's start"));
            }, PROGRESS_WRITE_INTERVAL_MS)
          : undefined;

      const progress = throttleProgress(
        async (update) => {
          await writeStart();
          await dbSpan("record progress", () => recordProgress(db, jobId, attempt, update));
        },
        PROGRESS_WRITE_INTERVAL_MS,
        (error) => log.warn({ err: error }, "progress write failed"),
        start.kind === "deferred" ? startedAt + PROGRESS_WRITE_INTERVAL_MS : undefined,
      );
      // Past its time limit the handler's signal aborts, and the attempt ends then whether the handler stops or not.
      const timeLimit = new AbortController();
      const deadline = setTimeout(() => timeLimit.abort(new AttemptTimedOut(limitMs)), limitMs);
      let ended = false;
      try {
        const input = jobType.input.safeParse(job.input);
        if (!input.success) {
          throw new PermanentJobFailure(`The stored input no longer matches ${jobType.type}: ${input.error.message}`);
        }
        log.info({ deferredStart: start.kind === "deferred" }, "attempt started");
        let settled = false;
        const running = run({
          jobId,
          ownerId: job.ownerId,
          input: input.data,
          attempt,
          maxAttempts,
          // A handler that outlives its attempt reports nothing more.
          progress: (percent, message) => {
            if (!ended) progress.report({ percent, message });
          },
          signal: AbortSignal.any([helpers.abortSignal, cancel.signal, timeLimit.signal]),
          logger: jobLog.logger,
          db,
        });
        running.then(
          () => {
            settled = true;
          },
          () => {
            settled = true;
          },
        );
        const output = await Promise.race([running, abortion(timeLimit.signal)]).catch((error: unknown) => {
          if (!timeLimit.signal.aborted || cancel.signal.aborted) throw error;
          // It ignored its signal: the attempt ends on time all the same, and its handler is counted as stuck.
          if (!settled) limits.outlived(running);
          throw timeLimit.signal.reason;
        });
        ended = true;
        clearTimeout(deadline);
        clearTimeout(startTimer);
        const unwritten = await progress.close();
        await jobLog.close();
        // A start under way is let finish; then the completion is an ordinary one.
        const deferredMs = startWrite ? undefined : Date.now() - startedAt;
        if (startWrite) await startWrite;
        await persistThroughOutage(() =>
          dbSpan("complete", () =>
            writes.complete({ jobId, attempt, output, finalMessage: unwritten?.message, deferredMs }),
          ),
        );
        log.info({ durationMs: Date.now() - startedAt }, "attempt succeeded");
      } catch (error) {
        ended = true;
        clearTimeout(deadline);
        clearTimeout(startTimer);
        await progress.close();
        await jobLog.close();
        if (cancel.signal.aborted) {
          // Our row says cancelled already; graphile-worker's job just ends.
          log.info({ durationMs: Date.now() - startedAt }, "attempt stopped: the job was cancelled");
          return;
        }
        const isLast = helpers.job.attempts >= helpers.job.max_attempts || error instanceof PermanentJobFailure;
        const failure = {
          message: failureMessage(error),
          cause: "failed" as const,
          queueAttempt: helpers.job.attempts,
          finalProblem: isLast ? failureProblem(error) : undefined,
        };
        // The failure is recorded against a started attempt: a deferred one is started first.
        await writeStart();
        await persistThroughOutage(() =>
          dbSpan("record failure", () => recordAttemptFailure(db, jobId, attempt, failure)),
        );
        log.warn({ err: error, final: isLast }, "attempt failed");
        // Rethrowing hands the retry (with its backoff) to graphile-worker; on
        // the last attempt our row says failed, so its job is simply completed.
        if (!isLast) throw error;
      } finally {
        ended = true;
        clearTimeout(deadline);
        clearTimeout(startTimer);
        cancel.stop();
        held.released(jobType.type);
      }
    });
  };
}
