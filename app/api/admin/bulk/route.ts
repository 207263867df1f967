import { getDb } from "@/lib/db";
import { admin } from "@/lib/http/api";
import { readJsonBody } from "@/lib/http/body";
import { acceptedResponse } from "@/lib/http/job-responses";
import { apiRoute, handle } from "@/lib/http/route";
import { submitJob } from "@/lib/jobs/lifecycle";
import { adminBulk, bulkActionRequest } from "@/lib/jobs/types/admin-bulk";

/**
 * A bulk retry or cancel, of the jobs named or of everything matching a
 * filter: accepted as a job of its own (202, Location), with its own progress.
 */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(admin.adminBulkAction, async ({ request, caller }) => {
    const body = bulkActionRequest.parse(await readJsonBody(request, 64 * 1024));
    const outcome = await submitJob(getDb(), {
      jobType: adminBulk,
      input: { ...body, actor: { id: caller.id, email: caller.email, address: caller.address } },
      ownerId: caller.id,
    });
    return acceptedResponse(outcome.job);
  }),
);
