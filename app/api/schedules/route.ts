import { getDb } from "@/lib/db";
import { schedules } from "@/lib/http/api";
import { createScheduleRequest } from "@/lib/http/api/schedules";
import { readJsonBody } from "@/lib/http/body";
import { apiRoute, handle } from "@/lib/http/route";
import { checkSubmission } from "@/lib/jobs/submit-checks";
import { checkTiming } from "@/lib/schedules/cron";
import { toScheduleStatus } from "@/lib/schedules/representation";
import { createSchedule, listSchedules } from "@/lib/schedules/schedules";

// A job's input and a cron: 64 KiB, as a submit.
const MAX_BODY_BYTES = 64 * 1024;
const noStore = { "Cache-Control": "no-store" };

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(schedules.createSchedule, async ({ request, caller }) => {
    const body = createScheduleRequest.parse(await readJsonBody(request, MAX_BODY_BYTES));
    const db = getDb();
    const { jobType, input } = await checkSubmission(db, body, caller.id);
    const schedule = await createSchedule(db, caller.id, {
      type: jobType.type,
      input,
      ...checkTiming(body.cron, body.timezone),
      concurrencyKey: body.concurrencyKey,
    });
    const status = toScheduleStatus(schedule);
    return Response.json(status, { status: 201, headers: { ...noStore, Location: status.links.self } });
  }),

  handle(schedules.listSchedules, async ({ caller }) => {
    const items = await listSchedules(getDb(), caller.id);
    return Response.json({ items: items.map(toScheduleStatus) }, { headers: noStore });
  }),
);
