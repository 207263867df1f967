import { getDb } from "@/db/client";
import { problems } from "@/lib/http/problem";
import { adminRoute, methodNotAllowed } from "@/lib/http/route";
import { expireJobs } from "@/lib/jobs/lifecycle";
import { findJob } from "@/lib/jobs/queries";
import { toJobStatus } from "@/lib/jobs/representation";
import { jobIdParams } from "@/lib/jobs/schemas";

const everyOwner = { allOwners: true } as const;

/**
 * Purges a finished job early, as its retention would: the result and file
 * are deleted and its status URI answers 410 from now on. Audited. Expiring
 * an expired job again is harmless; an unfinished one is a 409.
 */
export const POST = adminRoute(
  { path: "/api/admin/jobs/[id]/expire", params: jobIdParams },
  async (_request, { id }, caller) => {
    const db = getDb();
    const job = await findJob(db, everyOwner, id);
    if (!job) throw problems.notFound(`There is no job ${id}.`);
    if (!job.finishedAt) {
      throw problems.conflict(id, job.state, `The job is ${job.state}; cancel it first, then purge it.`);
    }
    if (!job.expiredAt) await expireJobs(db, { id, audit: { actor: caller, action: "expire" } });
    const expired = await findJob(db, everyOwner, id);
    if (!expired) throw problems.notFound(`There is no job ${id}.`);
    return Response.json(toJobStatus(expired), { headers: { "Cache-Control": "no-store" } });
  },
);

export const GET = methodNotAllowed("POST");
export const PUT = methodNotAllowed("POST");
export const PATCH = methodNotAllowed("POST");
export const DELETE = methodNotAllowed("POST");
