import { jobScope } from "@/lib/auth/caller";
import { createJobToken } from "@/lib/auth/job-token";
import { getDb } from "@/lib/db";
import { jobs } from "@/lib/http/api";
import { readJsonBody } from "@/lib/http/body";
import { apiRoute, handle } from "@/lib/http/route";
import { requireJob } from "@/lib/jobs/queries";

const MAX_BODY_BYTES = 1024;

/** A read-only token for one job: the owner's backend hands it to a browser, which follows the job with it. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(jobs.createJobToken, async ({ request, params: { id }, caller }) => {
    // The body is optional: with none, the token lives an hour.
    const length = request.headers.get("content-length");
    const bodyless = request.headers.get("content-type") === null && (length === null || length === "0");
    const { expiresInSeconds } = jobs.createJobTokenRequest.parse(
      bodyless ? {} : await readJsonBody(request, MAX_BODY_BYTES),
    );
    const db = getDb();
    const job = await requireJob(db, jobScope(caller), id);
    const { token, expiresAt } = await createJobToken(db, job.id, caller.id, expiresInSeconds);
    return Response.json(
      { token, jobId: job.id, expiresAt: expiresAt.toISOString() },
      { status: 201, headers: { "Cache-Control": "no-store" } },
    );
  }),
);
