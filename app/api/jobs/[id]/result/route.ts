import { jobScope } from "@/lib/auth/caller";
import { getDb } from "@/lib/db";
import { JobExpired, NoResultResource, NotFound, ResultNotAvailable } from "@/lib/errors";
import { jobs } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";
import { findResultFile, requireJob } from "@/lib/jobs/queries";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(jobs.getJobResult, async ({ params: { id }, caller }) => {
    const db = getDb();
    const job = await requireJob(db, jobScope(caller), id);
    if (job.expiredAt) throw new JobExpired(job.id, job.state, job.expiredAt);
    if (job.state !== "succeeded" || !job.result) throw new ResultNotAvailable(job.id, job.state);
    if (job.result.kind === "none") throw new NoResultResource(job.id);

    if (job.result.kind === "json") {
      return Response.json(job.result.value, { headers: { "Cache-Control": "private, max-age=0" } });
    }
    const file = await findResultFile(db, job.id);
    if (!file) throw new NotFound(`The result file of job ${id} no longer exists.`);
    return new Response(new Uint8Array(file.content), {
      headers: {
        "Content-Type": file.contentType,
        "Content-Length": String(file.content.byteLength),
        "Content-Disposition": `attachment; filename="${file.filename}"`,
        "Cache-Control": "private, max-age=0",
      },
    });
  }),
);
