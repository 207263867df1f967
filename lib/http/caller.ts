import { findTokenOwner } from "@/lib/auth/api-token";
import { getAuth } from "@/lib/auth/auth";
import { getDb } from "@/lib/db";
import type { JobScope } from "@/lib/jobs/queries";
import { clientAddress } from "./forwarded";
import { problems } from "./problem";

/** The signed-in user a request acts for, by session cookie or API token. */
export interface Caller {
  id: string;
  email: string;
  name: string;
  role: "user" | "admin";
  /** How they proved it: an API token, or a browser's session cookie (whose writes must come from our own pages). */
  via: "token" | "session";
  /** The client's address, from the one place the server settles it (lib/http/forwarded.ts). */
  address: string;
}

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Who sent the request, or a 401 problem: an API token in Authorization
 * (checked in one query, see lib/auth/api-token.ts), or else better-auth's
 * session cookie (its signed cookie cache spares most requests a query).
 * A bad or revoked token is a 401 too, never a 500, and says so.
 */
export async function authenticate(request: Request): Promise<Caller> {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    const token = BEARER.exec(authorization)?.[1];
    const owner = token ? await findTokenOwner(getDb(), token) : null;
    if (!owner) throw problems.unauthenticated("The API token is not valid, or has been revoked.");
    return toCaller(owner, "token", clientAddress(request));
  }
  const session = await (await getAuth()).api.getSession({ headers: request.headers });
  if (!session) throw problems.unauthenticated();
  return toCaller(session.user, "session", clientAddress(request));
}

function toCaller(
  user: { id: string; email: string; name: string; role?: string | null },
  via: Caller["via"],
  address: string,
): Caller {
  const role = user.role === "admin" ? "admin" : "user";
  return { id: user.id, email: user.email, name: user.name, role, via, address };
}

export const isAdmin = (caller: Caller) => caller.role === "admin";

/** The jobs a caller may read and act on by id: their own, or every job for an admin. */
export function jobScope(caller: Caller): JobScope {
  return isAdmin(caller) ? { allOwners: true } : { ownerId: caller.id };
}

/** The caller's own jobs, whatever their role: what their dashboard lists. */
export function ownJobs(caller: Caller): JobScope {
  return { ownerId: caller.id };
}
