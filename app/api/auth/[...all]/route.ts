import { getAuth } from "@/lib/auth/auth";
import { isCrossOrigin } from "@/lib/auth/origins";
import { authRateLimit } from "@/lib/auth/rate-limits";
import { tokenCache } from "@/lib/auth/token-cache";
import { getDb } from "@/lib/db";
import { RateLimited } from "@/lib/errors";
import { clientAddress } from "@/lib/http/forwarded";
import { problemResponse, problems } from "@/lib/http/problem";
import { errorResponse } from "@/lib/http/route";
import { takeRateLimit } from "@/lib/rate-limits";

/**
 * better-auth's own endpoints: sign-up, sign-in, sign-out, sessions and API
 * tokens (/api/auth/api-key/*). It answers them itself, errors included,
 * once the client's address is within its rate limit (a 429 problem past it).
 */
async function handle(request: Request): Promise<Response> {
  // better-auth checks Origin only on requests that carry a cookie; a signed-
  // out browser's sign-in from another site (login CSRF) is refused here too.
  if (request.method === "POST" && isCrossOrigin(request)) {
    return problemResponse(problems.crossOrigin(request.headers.get("origin") ?? "").problem);
  }
  try {
    await takeRateLimit(getDb(), authRateLimit(new URL(request.url).pathname), clientAddress(request));
  } catch (error) {
    if (!(error instanceof RateLimited)) throw error;
    return errorResponse(error, request);
  }
  const response = await (await getAuth()).handler(request);
  // A token revoked here must stop working on this process's very next
  // request; NOTIFY auth_changes tells the other processes a moment later.
  if (request.method === "POST") tokenCache().clear();
  return response;
}

export { handle as GET, handle as POST };
