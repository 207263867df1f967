import { isDatabaseUnavailable } from "@/db/errors";
import { authChanges } from "@/lib/auth/auth-changes";
import { authenticate, type Caller } from "./caller";

/**
 * Ends an open stream (SSE) as soon as the credential that opened it stops
 * admitting its caller: signed out, session or token revoked, user banned or
 * deleted, or (with `stillAllowed`) demoted. Every change to a user's
 * credentials is announced on auth_changes at commit; the stream re-checks
 * its own request's credential then, and only for changes about its user.
 * A long-lived connection may pass a function that rebuilds its request
 * (from the few headers it kept) rather than hold the whole of it.
 * Returns the unsubscribe, for the stream's cleanup.
 */
export function endWhenRevoked(
  request: Request | (() => Request),
  caller: Caller,
  end: () => void,
  stillAllowed: (current: Caller) => boolean = () => true,
): () => void {
  return authChanges().subscribeUser(caller.id, () => {
    authenticate(typeof request === "function" ? request() : request).then(
      (current) => {
        if (current.id !== caller.id || !stillAllowed(current)) end();
      },
      (error) => {
        // An outage is not a revocation: the stream stays, as it does through one.
        if (!isDatabaseUnavailable(error)) end();
      },
    );
  });
}
