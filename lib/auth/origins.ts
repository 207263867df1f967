import { config } from "@/lib/config";

/**
 * The origins this app answers as: its public URL (BETTER_AUTH_URL) when one
 * is configured, else the request's own (so localhost, 127.0.0.1 and a LAN
 * address all work), plus the operator's ACCEPTED_TRUSTED_ORIGINS. The one
 * list both our write check and better-auth's sign-in check use.
 */
export function appOrigins(request: Request | undefined): string[] {
  const { BETTER_AUTH_URL, ACCEPTED_TRUSTED_ORIGINS } = config();
  const own = BETTER_AUTH_URL ? new URL(BETTER_AUTH_URL).origin : request ? requestOrigin(request) : null;
  return [...(own ? [own] : []), ...ACCEPTED_TRUSTED_ORIGINS];
}

/**
 * The origin the client addressed: the Host header it sent, with the
 * request's scheme. Not request.url, whose host Next.js fills in with the
 * name it was started with (localhost), whatever address the client used.
 */
function requestOrigin(request: Request): string | null {
  const host = request.headers.get("host");
  if (!host) return null;
  try {
    return new URL(`${new URL(request.url).protocol}//${host}`).origin;
  } catch {
    return null;
  }
}

/**
 * True when a browser sent this request from a page of another origin. A
 * request without Origin is not a browser's cross-site write (browsers send
 * Origin with every POST, PUT, PATCH and DELETE), so it is not refused here.
 */
export function isCrossOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  return origin !== null && !appOrigins(request).includes(origin);
}
