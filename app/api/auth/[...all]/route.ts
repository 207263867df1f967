import { serveAuth } from "@/lib/http/auth-route";

/** better-auth's own endpoints, behind our origin check and rate limits (lib/http/auth-route.ts). */
export { serveAuth as GET, serveAuth as POST };
