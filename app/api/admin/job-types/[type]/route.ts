import { getDb } from "@/lib/db";
import { admin } from "@/lib/http/api";
import { typeControlChange } from "@/lib/http/api/schemas";
import { readJsonBody } from "@/lib/http/body";
import { apiRoute, handle } from "@/lib/http/route";
import { changeTypeControl } from "@/lib/jobs/type-controls";

/** Pause, resume, or limit a job type; audited. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(admin.adminChangeJobType, async ({ request, params: { type }, caller }) => {
    const change = typeControlChange.parse(await readJsonBody(request, 4 * 1024));
    const state = await changeTypeControl(getDb(), caller, type, change);
    return Response.json(state, { headers: { "Cache-Control": "no-store" } });
  }),
);
