import { allJobEvents } from "@/lib/http/realtime/event-streams";
import { apiRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * Server-Sent Events for the caller's jobs as they change (lib/http/realtime/event-streams.ts).
 * Our own server (server.ts) answers GET itself, and WebSocket upgrades on the same path;
 * this route serves it when Next.js runs alone, and the other methods' 405.
 */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(allJobEvents);
