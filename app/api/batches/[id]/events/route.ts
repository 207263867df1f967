import { batchEvents } from "@/lib/http/realtime/event-streams";
import { apiRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Server-Sent Events for one batch (lib/http/realtime/event-streams.ts; served by server.ts, and here when Next.js runs alone). */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(batchEvents);
