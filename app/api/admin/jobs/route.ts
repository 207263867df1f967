import { searchJobs } from "@/lib/admin/queries";
import { getDb } from "@/lib/db";
import { admin } from "@/lib/http/api";
import { encodeCursor } from "@/lib/http/api/schemas";
import { apiRoute, handle } from "@/lib/http/route";
import { toJobStatus } from "@/lib/jobs/representation";

/** Every owner's jobs for the admin console: filtered, searched inside their JSON, sorted, cursor-paginated. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(admin.adminListJobs, async ({ request, query }) => {
    const url = new URL(request.url);
    const { items, nextCursor } = await searchJobs(getDb(), query);
    let next: string | null = null;
    if (nextCursor) {
      url.searchParams.set("cursor", encodeCursor(nextCursor));
      next = `${url.pathname}${url.search}`;
    }
    return Response.json(
      { items: items.map((job) => ({ ...toJobStatus(job), ownerEmail: job.ownerEmail })), links: { next } },
      { headers: { "Cache-Control": "no-store", ...(next ? { Link: `<${next}>; rel="next"` } : {}) } },
    );
  }),
);
