import { getAuth } from "@/lib/auth/auth";
import { isCrossOrigin } from "@/lib/auth/origins";
import { authRateLimit } from "@/lib/auth/rate-limits";
import { tokenCache } from "@/lib/auth/token-cache";
import { getDb } from "@/lib/db";
import { rateLimitSubject, takeRateLimit } from "@/lib/rate-limits";
import { clientAddress } from "./forwarded";
import { problemResponse, problems } from "./problem";
import { errorResponse } from "./route";

/**
 * better-auth's own endpoints (/api/auth/*: sign-up, sign-in, sign-out,
 * sessions, API tokens). It answers them itself, errors included, once two
 * checks of ours have passed: a signed-out browser's sign-in from another
 * site is refused (better-auth checks Origin only on requests with a cookie:
 * login CSRF), and the client's address is within its rate limit, counted
 * in PostgreSQL (lib/auth/rate-limits.ts). A database outage is a 503
 * problem, as on every route of ours.
 */
export async function serveAuth(request: Request): Promise<Response> {
  if (request.method === "POST" && isCrossOrigin(request)) {
    return problemResponse(problems.crossOrigin(request.headers.get("origin") ?? "").problem);
  }
  try {
    const limit = authRateLimit(new URL(request.url).pathname);
    if (limit) await takeRateLimit(getDb(), limit, rateLimitSubject(clientAddress(request)));
    const response = await (await getAuth()).handler(request);
    // A token revoked here must stop working on this process's very next
    // request; NOTIFY auth_changes tells the other processes a moment later.
    if (request.method === "POST") tokenCache().clear();
    return response;
  } catch (error) {
    return errorResponse(error, request);
  }
}
