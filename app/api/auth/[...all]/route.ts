import { getAuth } from "@/lib/auth/auth";

/**
 * better-auth's own endpoints: sign-up, sign-in, sign-out, sessions and API
 * tokens (/api/auth/api-key/*). It answers them itself, errors included.
 */
async function handle(request: Request): Promise<Response> {
  return (await getAuth()).handler(request);
}

export { handle as GET, handle as POST };
