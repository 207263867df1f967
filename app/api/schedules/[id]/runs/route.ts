import { getDb } from "@/lib/db";
import { schedules } from "@/lib/http/api";
import { jobListResponse } from "@/lib/http/job-responses";
import { apiRoute, handle } from "@/lib/http/route";
import { listJobs } from "@/lib/jobs/queries";
import { requireSchedule } from "@/lib/schedules/schedules";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  /** The jobs the schedule's firings made: the job list, of this schedule's runs. */
  handle(schedules.scheduleRuns, async ({ request, params: { id }, query, caller }) => {
    const db = getDb();
    await requireSchedule(db, caller.id, id);
    return jobListResponse(request, await listJobs(db, { ownerId: caller.id }, { ...query, schedule: id }));
  }),
);
