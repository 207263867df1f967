import type { Task } from "graphile-worker";
import { z } from "zod";
import { getDb } from "@/db/client";
import { persistThroughOutage } from "@/db/errors";
import type { JobProblem } from "@/db/schema";
import { readConfig } from "@/lib/config";
import { problemType } from "@/lib/http/problem";
import { type JobType, PermanentJobFailure } from "@/lib/jobs/define";
import { completeJob, recordAttemptFailure, recordProgress, startAttempt } from "@/lib/jobs/lifecycle";
import { logger } from "@/lib/logger";
import { jobFeed } from "@/lib/realtime/job-feed";
import { throttleProgress } from "./progress";

const payloadSchema = z.object({ jobId: z.uuid(), attemptOffset: z.int().min(0).default(0) });

function failureProblem(error: unknown): JobProblem {
  const detail = error instanceof Error ? error.message : String(error);
  const status = error instanceof PermanentJobFailure ? error.status : 500;
  return { type: problemType("job-failed"), title: "The job failed", status, detail };
}

/**
 * Aborts when the job is cancelled: the cancel's NOTIFY reaches this
 * process's job feed, carrying the new state.
 */
function watchForCancel(jobId: string) {
  const controller = new AbortController();
  const unsubscribe = jobFeed().subscribe({
    change: (change) => {
      if (change.id === jobId && change.state === "cancelled") controller.abort(new Error("The job was cancelled"));
    },
    resync: () => {
      void jobFeed()
        .readNow(jobId)
        .then((job) => {
          if (job?.state === "cancelled") controller.abort(new Error("The job was cancelled"));
        });
    },
  });
  return { signal: controller.signal, stop: unsubscribe };
}

/**
 * Turns a job type into a graphile-worker task that keeps our jobs row (the
 * shadow of graphile-worker's job) current through the lifecycle module.
 */
export function toGraphileTask(jobType: JobType): Task {
  const { PROGRESS_WRITE_INTERVAL_MS } = readConfig();

  return async (payload, helpers) => {
    const { jobId, attemptOffset } = payloadSchema.parse(payload);
    // Attempts before a retry from the API count on in our row.
    const attempt = attemptOffset + helpers.job.attempts;
    const maxAttempts = attemptOffset + helpers.job.max_attempts;
    const log = logger.child({ jobId, type: jobType.type, attempt });
    const db = getDb();

    await jobFeed().start();
    const cancel = watchForCancel(jobId);
    const job = await startAttempt(db, jobId, attempt);
    if (!job) {
      cancel.stop();
      log.info("job already finished or gone; nothing to run");
      return;
    }

    const progress = throttleProgress(
      (update) => recordProgress(db, jobId, attempt, update),
      PROGRESS_WRITE_INTERVAL_MS,
      (error) => log.warn({ err: error }, "progress write failed"),
    );
    const startedAt = Date.now();
    try {
      const input = jobType.input.safeParse(job.input);
      if (!input.success) {
        throw new PermanentJobFailure(`The stored input no longer matches ${jobType.type}: ${input.error.message}`);
      }
      log.info("attempt started");
      const output = await jobType.run({
        jobId,
        ownerId: job.ownerId,
        input: input.data,
        attempt,
        maxAttempts,
        progress: (percent, message) => progress.report({ percent, message }),
        signal: AbortSignal.any([helpers.abortSignal, cancel.signal]),
        logger: log,
        db,
      });
      const unwritten = await progress.close();
      await persistThroughOutage(() => completeJob(db, jobId, attempt, output, unwritten?.message));
      log.info({ durationMs: Date.now() - startedAt }, "attempt succeeded");
    } catch (error) {
      await progress.close();
      if (cancel.signal.aborted) {
        // Our row says cancelled already; graphile-worker's job just ends.
        log.info({ durationMs: Date.now() - startedAt }, "attempt stopped: the job was cancelled");
        return;
      }
      const isLast = helpers.job.attempts >= helpers.job.max_attempts || error instanceof PermanentJobFailure;
      const failure = {
        queueAttempt: helpers.job.attempts,
        error: {
          attempt,
          message: error instanceof Error ? error.message : String(error),
          failedAt: new Date().toISOString(),
          durationMs: Date.now() - startedAt,
        },
        finalProblem: isLast ? failureProblem(error) : undefined,
      };
      await persistThroughOutage(() => recordAttemptFailure(db, jobId, attempt, failure));
      log.warn({ err: error, final: isLast }, "attempt failed");
      // Rethrowing hands the retry (with its backoff) to graphile-worker; on
      // the last attempt our row says failed, so its job is simply completed.
      if (!isLast) throw error;
    } finally {
      cancel.stop();
    }
  };
}
