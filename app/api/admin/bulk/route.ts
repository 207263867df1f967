import { getDb } from "@/db/client";
import { readJsonBody } from "@/lib/http/body";
import { adminRoute, methodNotAllowed } from "@/lib/http/route";
import { submitJob } from "@/lib/jobs/lifecycle";
import { acceptedResponse } from "@/lib/jobs/representation";
import { bulkActionRequest } from "@/lib/jobs/schemas";
import adminBulk from "@/worker/tasks/admin-bulk";

/**
 * A bulk retry or cancel, of the jobs named or of everything matching a
 * filter: accepted as a job of its own (202, Location), with its own progress.
 */
export const POST = adminRoute({ path: "/api/admin/bulk" }, async (request, _params, caller) => {
  const body = bulkActionRequest.parse(await readJsonBody(request, 64 * 1024));
  const outcome = await submitJob(getDb(), {
    jobType: adminBulk,
    input: { ...body, actor: { id: caller.id, email: caller.email } },
    ownerId: caller.id,
  });
  return acceptedResponse(outcome.job);
});

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
