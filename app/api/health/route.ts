import { system } from "@/lib/http/api";
import { readinessResponse } from "@/lib/http/readiness";
import { apiRoute, handle } from "@/lib/http/route";

/** Readiness, at the address the launcher and older load balancer settings use. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(handle(system.health, readinessResponse));
