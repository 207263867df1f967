import { RETRYABLE_ERROR_CODES } from "graphile-worker/dist/lib.js";

/**
 * graphile-worker 0.17 writes a job's completion or failure without waiting
 * for it (when it does not batch them): a connection lost there became an
 * unhandled rejection (the process died) and left the job locked for four
 * hours. It retries the errors its RETRYABLE_ERROR_CODES lists, which lack
 * the codes of a dropped connection (ECONNRESET; 57P01 from
 * pg_terminate_backend or a restart). What it retries is safe to repeat: a
 * completion is a DELETE by id, a failure an UPDATE by id and lock holder,
 * and a fetch that is cut off was rolled back. Not exported from its index:
 * the table lives in its dist/lib.js.
 */
export function retryLostConnections() {
  const afterLoss = { minDelay: 200, maxDelay: 5_000 };
  for (const code of ["ECONNRESET", "ECONNREFUSED", "EPIPE", "57P01", "57P02", "08000", "08003", "08006"]) {
    RETRYABLE_ERROR_CODES[code] ??= afterLoss;
  }
}
