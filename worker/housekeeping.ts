import type { Task } from "graphile-worker";
import { forgetExpiredJobTokens } from "@/lib/auth/job-token";
import { config } from "@/lib/config";
import { getDb } from "@/lib/db";
import { cancelUnstarted, expireJobs, forgetExpiredIdempotencyKeys } from "@/lib/jobs/lifecycle";
import { jobTypes, uploadFieldsOf } from "@/lib/jobs/registry";
import { logger } from "@/lib/logger";
import { forgetEmptyQueues } from "@/lib/queue/graphile-worker";
import { forgetEndedRateWindows } from "@/lib/rate-limits";
import { forgetUnusedUploads } from "@/lib/uploads/store";
import { forgetOldDeliveries } from "@/lib/webhooks/deliveries";

/** graphile-worker's name for the housekeeping task (crontab names allow no dots); add_job can queue it by hand. */
export const HOUSEKEEPING_TASK = "accepted:purge-expired";

/**
 * Every ten minutes, in whichever worker claims it (graphile-worker's cron
 * runs each entry once across all workers); `max=1` so a worker that was down
 * does not queue the missed runs one by one.
 */
export const HOUSEKEEPING_CRONTAB = `*/10 * * * * ${HOUSEKEEPING_TASK} ?max=1`;

const BATCH = 500;
/** Where jobs name uploads: each job type's declared upload members. */
const UPLOAD_FIELDS = jobTypes.flatMap((jobType) =>
  uploadFieldsOf(jobType).map((field) => ({ type: jobType.type, field })),
);
/** How long the webhook delivery log keeps messages that are done with. */
const DELIVERY_LOG_DAYS = 30;

/**
 * Expires every finished job whose retention has run out, a batch per
 * transaction, forgets Idempotency-Keys past their 24 hours, webhook
 * deliveries past DELIVERY_LOG_DAYS, the empty queues webhook chains
 * leave in graphile-worker, uploads no kept job names (UPLOAD_UNUSED_HOURS
 * old), and rate-limit windows that have ended; and cancels the queued jobs
 * whose startBy has passed (the worker cancels one it fetches late itself).
 */
export const housekeeping: Task = async () => {
  const db = getDb();
  let expired = 0;
  for (;;) {
    const ids = await expireJobs(db, { due: true, limit: BATCH });
    expired += ids.length;
    if (ids.length < BATCH) break;
  }
  let unstarted = 0;
  for (;;) {
    const ids = await cancelUnstarted(db, { limit: BATCH });
    unstarted += ids.length;
    if (ids.length < BATCH) break;
  }
  const forgottenKeys = await forgetExpiredIdempotencyKeys(db);
  const forgottenDeliveries = await forgetOldDeliveries(db, DELIVERY_LOG_DAYS);
  const forgottenQueues = await forgetEmptyQueues(db);
  await forgetExpiredJobTokens(db);
  let forgottenUploads = 0;
  for (;;) {
    const forgotten = await forgetUnusedUploads(db, config().UPLOAD_UNUSED_HOURS, UPLOAD_FIELDS, BATCH);
    forgottenUploads += forgotten;
    if (forgotten < BATCH) break;
  }
  await forgetEndedRateWindows(db);
  if (expired > 0 || unstarted > 0 || forgottenKeys > 0 || forgottenDeliveries > 0 || forgottenUploads > 0) {
    logger.info(
      { expired, unstarted, forgottenKeys, forgottenDeliveries, forgottenQueues, forgottenUploads },
      "housekeeping done",
    );
  }
};
