import { getDb } from "@/lib/db";
import { schedules } from "@/lib/http/api";
import { updateScheduleRequest } from "@/lib/http/api/schedules";
import { readJsonBody } from "@/lib/http/body";
import { apiRoute, handle } from "@/lib/http/route";
import { checkSubmission } from "@/lib/jobs/submit-checks";
import { toScheduleStatus } from "@/lib/schedules/representation";
import { deleteSchedule, requireSchedule, updateSchedule } from "@/lib/schedules/schedules";

const MAX_BODY_BYTES = 64 * 1024;
const noStore = { "Cache-Control": "no-store" };

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(schedules.getSchedule, async ({ params: { id }, caller }) =>
    Response.json(toScheduleStatus(await requireSchedule(getDb(), caller.id, id)), { headers: noStore }),
  ),

  handle(schedules.updateSchedule, async ({ request, params: { id }, caller }) => {
    const body = updateScheduleRequest.parse(await readJsonBody(request, MAX_BODY_BYTES));
    const db = getDb();
    const change = { ...body };
    if (body.input !== undefined) {
      // New input is checked against the schedule's type, as a submit of it would be.
      const { type } = await requireSchedule(db, caller.id, id);
      change.input = (await checkSubmission(db, { type, input: body.input }, caller.id)).input;
    }
    const schedule = await updateSchedule(db, caller.id, id, change);
    return Response.json(toScheduleStatus(schedule), { headers: noStore });
  }),

  handle(schedules.deleteSchedule, async ({ params: { id }, caller }) => {
    await deleteSchedule(getDb(), caller.id, id);
    return new Response(null, { status: 204 });
  }),
);
