import { findOwnerEmail } from "@/lib/admin/queries";
import { jobTimeline } from "@/lib/admin/timeline";
import { getDb } from "@/lib/db";
import { admin } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";
import { everyOwner, requireJob } from "@/lib/jobs/queries";
import { toJobStatus } from "@/lib/jobs/representation";

/** One job as an admin sees it: its status, its owner and the timeline of its state changes. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(admin.adminGetJob, async ({ params: { id } }) => {
    const db = getDb();
    const job = await requireJob(db, everyOwner, id);
    const [ownerEmail, timeline] = await Promise.all([findOwnerEmail(db, job.ownerId), jobTimeline(db, job)]);
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
  }),
);
