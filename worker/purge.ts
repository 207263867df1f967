import type { Task } from "graphile-worker";
import { getDb } from "@/db/client";
import { expireJobs } from "@/lib/jobs/lifecycle";
import { logger } from "@/lib/logger";

/** graphile-worker's name for the purge (crontab names allow no dots); add_job can queue it by hand. */
export const PURGE_TASK = "accepted:purge-expired";

/**
 * Every ten minutes, in whichever worker claims it (graphile-worker's cron
 * runs each entry once across all workers); `max=1` so a worker that was down
 * does not queue the missed runs one by one.
 */
export const PURGE_CRONTAB = `*/10 * * * * ${PURGE_TASK} ?max=1`;

const BATCH = 500;

/** Expires every finished job whose retention has run out, a batch per transaction. */
export const purgeExpiredJobs: Task = async () => {
  let total = 0;
  for (;;) {
    const ids = await expireJobs(getDb(), { due: true, limit: BATCH });
    total += ids.length;
    if (ids.length < BATCH) break;
  }
  if (total > 0) logger.info({ expired: total }, "expired jobs past their retention");
};
