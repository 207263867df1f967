import { getDb } from "@/db/client";
import { findOwnerEmail, jobTimeline } from "@/lib/admin/queries";
import { problems } from "@/lib/http/problem";
import { adminRoute, methodNotAllowed } from "@/lib/http/route";
import { findJob } from "@/lib/jobs/queries";
import { toJobStatus } from "@/lib/jobs/representation";
import { jobIdParams } from "@/lib/jobs/schemas";

/** One job as an admin sees it: its status, its owner and the timeline of its state changes. */
export const GET = adminRoute({ path: "/api/admin/jobs/[id]", params: jobIdParams }, async (_request, { id }) => {
  const db = getDb();
  const job = await findJob(db, { allOwners: true }, id);
  if (!job) throw problems.notFound(`There is no job ${id}.`);
  const [ownerEmail, timeline] = await Promise.all([findOwnerEmail(db, job.ownerId), jobTimeline(db, id)]);
  return Response.json(
    {
      job: toJobStatus(job),
      ownerEmail,
      timeline: timeline.map((event) => ({
        at: event.at.toISOString(),
        state: event.state,
        attempt: event.attempt,
        detail: event.detail,
      })),
    },
    { headers: { "Cache-Control": "no-store" } },
  );
});

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
