import type { Database } from "@/db/client";
import type { JobType } from "@/lib/jobs/define";
import { customTimeouts } from "@/lib/jobs/type-controls";
import type { Logger } from "@/lib/logger";

/** The problem type of an attempt that ran past its time limit. */
export const JOB_TIMED_OUT = "/problems/job-timed-out";

/** Why an attempt ended: it ran past its time limit. */
export class AttemptTimedOut extends Error {
  constructor(readonly limitMs: number) {
    super(`The attempt ran past its time limit of ${limitMs / 1000} s`);
    this.name = "AttemptTimedOut";
  }
}

/**
 * Each job type's time limit for an attempt, as this worker applies it: an
 * admin's (job_type_controls.timeout_ms), read at most every `maxAgeMs`, or
 * the type's own `timeoutMs`. And the attempts failed at their limit whose
 * handlers ignored their signal and still run here: /api/metrics counts
 * them (from the heartbeat) as stuck.
 */
export function timeLimits(db: Database, logger: Logger, maxAgeMs = 5_000) {
  let custom = new Map<string, number>();
  let fetchedAt = 0;
  let refreshing: Promise<void> | null = null;
  let stuck = 0;
  const refresh = () => {
    refreshing ??= customTimeouts(db)
      .then((fresh) => {
        custom = fresh;
        fetchedAt = Date.now();
      })
      .catch((error) => logger.warn({ err: error }, "could not read the time limits; using the last known"))
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  };
  return {
    /** How long an attempt of this type may run, in ms. */
    async of(jobType: JobType): Promise<number> {
      if (Date.now() - fetchedAt > maxAgeMs) await refresh();
      return custom.get(jobType.type) ?? jobType.timeoutMs;
    },
    /** A handler still running past its attempt's end: counted until it settles. */
    outlived(handler: Promise<unknown>) {
      stuck++;
      handler.then(
        () => stuck--,
        () => stuck--,
      );
    },
    get stuckAttempts(): number {
      return stuck;
    },
  };
}

export type TimeLimits = ReturnType<typeof timeLimits>;
