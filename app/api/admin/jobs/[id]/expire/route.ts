import { getDb } from "@/lib/db";
import { JobStateConflict } from "@/lib/errors";
import { admin } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";
import { expireJobs } from "@/lib/jobs/lifecycle";
import { everyOwner, requireJob } from "@/lib/jobs/queries";
import { toJobStatus } from "@/lib/jobs/representation";

/**
 * Purges a finished job early, as its retention would: the result and file
 * are deleted and its status URI answers 410 from now on. Audited. Expiring
 * an expired job again is harmless; an unfinished one is a 409.
 */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(admin.adminExpireJob, async ({ params: { id }, caller }) => {
    const db = getDb();
    const job = await requireJob(db, everyOwner, id);
    if (!job.finishedAt) {
      throw new JobStateConflict(id, job.state, `The job is ${job.state}; cancel it first, then purge it.`);
    }
    if (!job.expiredAt) await expireJobs(db, { id, auditedAs: caller });
    return Response.json(toJobStatus(await requireJob(db, everyOwner, id)), {
      headers: { "Cache-Control": "no-store" },
    });
  }),
);
