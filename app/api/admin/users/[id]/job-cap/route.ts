import { getDb } from "@/lib/db";
import { admin } from "@/lib/http/api";
import { jobCapChange } from "@/lib/http/api/schemas";
import { readJsonBody } from "@/lib/http/body";
import { apiRoute, handle } from "@/lib/http/route";
import { setOwnerCap } from "@/lib/jobs/quotas";

/** One user's cap on unfinished jobs; audited. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(admin.adminSetJobCap, async ({ request, params: { id }, caller }) => {
    const { maxUnfinishedJobs } = jobCapChange.parse(await readJsonBody(request, 4 * 1024));
    const usage = await setOwnerCap(getDb(), caller, id, maxUnfinishedJobs);
    return Response.json(usage, { headers: { "Cache-Control": "no-store" } });
  }),
);
