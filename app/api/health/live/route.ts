import { system } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";

/** Liveness: the process answers. Restart it only when this fails; a database outage is not its fault. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(system.live, async () => Response.json({ status: "alive" }, { headers: { "Cache-Control": "no-store" } })),
);
