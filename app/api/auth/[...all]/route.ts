import { getAuth } from "@/lib/auth/auth";
import { tokenCache } from "@/lib/auth/token-cache";

/**
 * better-auth's own endpoints: sign-up, sign-in, sign-out, sessions and API
 * tokens (/api/auth/api-key/*). It answers them itself, errors included.
 */
async function handle(request: Request): Promise<Response> {
  const response = await (await getAuth()).handler(request);
  // A token revoked here must stop working on this process's very next
  // request; NOTIFY auth_changes tells the other processes a moment later.
  if (request.method === "POST") tokenCache().clear();
  return response;
}

export { handle as GET, handle as POST };
