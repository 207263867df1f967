import { type Caller, type Credentials, identifyCaller, isCaller } from "@/lib/auth/caller";
import { clientAddress } from "./forwarded";
import { problems } from "./problem";

/** The query parameter a job token may travel in (RFC 6750's name). */
export const ACCESS_TOKEN_PARAM = "access_token";

/** A request's URL as it may be logged: a token in its query is replaced. */
export function loggableUrl(url: string): string {
  if (!url.includes(ACCESS_TOKEN_PARAM)) return url;
  const parsed = new URL(url, "http://x");
  parsed.searchParams.set(ACCESS_TOKEN_PARAM, "REDACTED");
  return url.startsWith("/") ? `${parsed.pathname}${parsed.search}` : parsed.toString();
}

/**
 * What the request offers to prove who sends it. A job token may come in the
 * query (access_token): it is read-only, short-lived, and kept out of the
 * logs (loggableUrl).
 */
export function credentialsOf(request: Request): Credentials {
  return {
    headers: request.headers,
    queryToken: new URL(request.url).searchParams.get(ACCESS_TOKEN_PARAM),
    address: clientAddress(request),
  };
}

/** Who sent the request (lib/auth/caller.ts), or a 401 problem that says why. */
export async function authenticate(request: Request): Promise<Caller> {
  const identified = await identifyCaller(credentialsOf(request));
  if (isCaller(identified)) return identified;
  throw problems.unauthenticated(identified.signedOut ? undefined : identified.reason);
}
