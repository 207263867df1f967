import { isDatabaseUnavailable } from "@/db/outages";
import { authChanges } from "@/lib/auth/auth-changes";
import type { Caller } from "@/lib/auth/caller";
import { authenticate } from "@/lib/http/caller";

/**
 * Ends an open stream (SSE) as soon as the credential that opened it stops
 * admitting its caller: signed out, session or token revoked, user banned or
 * deleted, a job token expired, or (with `stillAllowed`) demoted. Every change to a user's
 * credentials is announced on auth_changes at commit; the stream re-checks
 * its own request's credential then, and only for changes about its user.
 * Only the request's credential is kept, not the request: an open stream
 * costs a few hundred bytes for it.
 * Returns the unsubscribe, for the stream's cleanup.
 */
export function endWhenRevoked(
  request: Request,
  caller: Caller,
  end: () => void,
  stillAllowed: (current: Caller) => boolean = () => true,
): () => void {
  const credential = credentialOf(request);
  // A job token ends by itself: its stream or socket with it.
  const expiry = caller.expiresAt ? setTimeout(end, Math.max(0, caller.expiresAt.getTime() - Date.now())) : null;
  const unsubscribe = authChanges().subscribeUser(caller.id, () => {
    authenticate(credential()).then(
      (current) => {
        if (current.id !== caller.id || !stillAllowed(current)) end();
      },
      (error) => {
        // An outage is not a revocation: the stream stays, as it does through one.
        if (!isDatabaseUnavailable(error)) end();
      },
    );
  });
  return () => {
    if (expiry) clearTimeout(expiry);
    unsubscribe();
  };
}

/** The headers that say who a request is from, and a function that rebuilds a request of just those. */
function credentialOf(request: Request): () => Request {
  const kept = new Headers();
  for (const name of ["authorization", "cookie", "host", "x-forwarded-for"]) {
    const value = request.headers.get(name);
    if (value !== null) kept.set(name, value);
  }
  const url = request.url;
  return () => new Request(url, { headers: kept });
}
