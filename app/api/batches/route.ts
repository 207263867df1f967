import { ownJobs } from "@/lib/auth/caller";
import { getDb } from "@/lib/db";
import { IdempotencyKeyReused } from "@/lib/errors";
import { batches } from "@/lib/http/api";
import { submitBatchRequest } from "@/lib/http/api/schemas";
import { acceptedBatchResponse } from "@/lib/http/batch-responses";
import { readJsonBody } from "@/lib/http/body";
import { idempotencyKeyOf } from "@/lib/http/idempotency";
import { apiRoute, handle } from "@/lib/http/route";
import { listBatches, requireBatch, toBatchStatus } from "@/lib/jobs/batch-status";
import { submitBatch } from "@/lib/jobs/lifecycle";
import { checkBatch } from "@/lib/jobs/submit-checks";

// A thousand jobs' inputs: parameters, not payloads, so 1 MiB is generous.
const MAX_BODY_BYTES = 1024 * 1024;
const LIST_SIZE = 25;

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(batches.submitBatch, async ({ request, caller }) => {
    const body = submitBatchRequest.parse(await readJsonBody(request, MAX_BODY_BYTES));
    const db = getDb();
    const items = await checkBatch(db, body.jobs, caller.id);
    const outcome = await submitBatch(db, { items, ownerId: caller.id, idempotencyKey: idempotencyKeyOf(request) });
    if (outcome.kind === "key-reused") throw new IdempotencyKeyReused(outcome.jobId);
    const batch = await requireBatch(db, ownJobs(caller), outcome.batchId);
    return acceptedBatchResponse(batch, { replayed: outcome.kind === "replayed" });
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
