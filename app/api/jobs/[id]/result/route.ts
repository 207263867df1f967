import { getDb } from "@/db/client";
import { jobScope } from "@/lib/http/caller";
import { problems } from "@/lib/http/problem";
import { methodNotAllowed, userRoute } from "@/lib/http/route";
import { findJob, findResultFile } from "@/lib/jobs/queries";
import { jobIdParams } from "@/lib/jobs/schemas";

export const GET = userRoute(
  { path: "/api/jobs/[id]/result", params: jobIdParams },
  async (_request, { id }, caller) => {
    const db = getDb();
    const job = await findJob(db, jobScope(caller), id);
    if (!job) throw problems.notFound(`There is no job ${id}.`);
    if (job.expiredAt) throw problems.expired(job.id, job.state, job.expiredAt);
    if (job.state !== "succeeded" || !job.result) throw problems.resultNotReady(job.id, job.state);
    if (job.result.kind === "none") throw problems.noResult(job.id);

    if (job.result.kind === "json") {
      return Response.json(job.result.value, { headers: { "Cache-Control": "private, max-age=0" } });
    }
    const file = await findResultFile(db, job.id);
    if (!file) throw problems.notFound(`The result file of job ${id} no longer exists.`);
    return new Response(new Uint8Array(file.content), {
      headers: {
        "Content-Type": file.contentType,
        "Content-Length": String(file.content.byteLength),
        "Content-Disposition": `attachment; filename="${file.filename}"`,
        "Cache-Control": "private, max-age=0",
      },
    });
  },
);

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
