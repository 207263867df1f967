import { ownJobs } from "@/lib/auth/caller";
import { getDb } from "@/lib/db";
import { IdempotencyKeyReused } from "@/lib/errors";
import { batches } from "@/lib/http/api";
import { runAtOf, submitBatchRequest } from "@/lib/http/api/schemas";
import { submittedBatchResponse } from "@/lib/http/batch-responses";
import { readJsonBody } from "@/lib/http/body";
import { submitWaitSeconds } from "@/lib/http/conditional";
import { idempotencyKeyOf } from "@/lib/http/idempotency";
import { waitUntilFinished, withWaitAllowance } from "@/lib/http/realtime/long-poll";
import { apiRoute, handle } from "@/lib/http/route";
import { followBatch } from "@/lib/http/status-monitors";
import { listBatches, requireBatch, toBatchStatus } from "@/lib/jobs/batch-status";
import { submitBatch } from "@/lib/jobs/lifecycle";
import { checkBatch } from "@/lib/jobs/submit-checks";

// A thousand jobs' inputs: parameters, not payloads, so 1 MiB is generous.
const MAX_BODY_BYTES = 1024 * 1024;
const LIST_SIZE = 25;

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(batches.submitBatch, async ({ request, caller }) => {
    const waitS = submitWaitSeconds(request);
    const body = submitBatchRequest.parse(await readJsonBody(request, MAX_BODY_BYTES));
    const db = getDb();
    const checked = await checkBatch(db, body.jobs, caller.id);
    const items = checked.map((item, index) => {
      const runAt = body.jobs[index]?.runAt;
      return runAt === undefined ? item : { ...item, runAt: runAtOf(runAt) };
    });
    return withWaitAllowance(caller, waitS, async (waitS) => {
      const outcome = await submitBatch(db, { items, ownerId: caller.id, idempotencyKey: idempotencyKeyOf(request) });
      if (outcome.kind === "key-reused") throw new IdempotencyKeyReused(outcome.jobId);
      const submitted = await requireBatch(db, ownJobs(caller), outcome.batchId);
      const batch = await waitUntilFinished(
        submitted,
        followBatch(ownJobs(caller), submitted.id),
        waitS,
        request.signal,
      );
      return submittedBatchResponse(batch, { replayed: outcome.kind === "replayed", waitedS: waitS });
    });
  }),

  /** The caller's latest batches, each counted. */
  handle(batches.listBatches, async ({ caller }) => {
    const items = await listBatches(getDb(), ownJobs(caller), LIST_SIZE);
    return Response.json(
      { items: items.map((batch) => toBatchStatus(batch)) },
      { headers: { "Cache-Control": "no-store" } },
    );
  }),
);
