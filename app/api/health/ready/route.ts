import { system } from "@/lib/http/api";
import { readinessResponse } from "@/lib/http/readiness";
import { apiRoute, handle } from "@/lib/http/route";

/** Readiness: send this process traffic only while it answers 200. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(handle(system.ready, readinessResponse));
