import { getDb } from "@/lib/db";
import type { JobScope } from "@/lib/jobs/queries";
import { findTokenOwner, hashApiToken } from "./api-token";
import { getAuth } from "./auth";
import { findJobToken, isJobToken } from "./job-token";

/** The signed-in user a request acts for, by session cookie or API token. */
export interface Caller {
  id: string;
  email: string;
  name: string;
  role: "user" | "admin";
  /**
   * How they proved it: an API token, a browser's session cookie (whose
   * writes must come from our own pages), or a read-only job token, which
   * reads `jobId` as its owner until `expiresAt` and nothing else.
   */
  via: "token" | "session" | "job-token";
  jobId?: string;
  expiresAt?: Date;
  /** A job token's own identity (its hash), for what is counted per token rather than per owner. */
  jobTokenKey?: string;
  /** The client's address, as the web server settled it from its socket and trusted proxies. */
  address: string;
}

/** What a request offers as proof of who sends it: its headers (Authorization, the session cookie) and a token from its query. */
export interface Credentials {
  headers: Headers;
  /** A job token sent in the query (access_token), for what cannot send headers: a browser's WebSocket or EventSource. */
  queryToken: string | null;
  address: string;
}

/** Nobody is signed in (`signedOut`), or the credential offered is not valid, and why. */
export type NotSignedIn = { signedOut: true } | { signedOut: false; reason: string };

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Who the credentials name: a job token (in Authorization or the query), an
 * API token in Authorization (checked in one query, see api-token.ts), or
 * else better-auth's session cookie (its signed cookie cache spares most
 * requests a query). A bad, revoked or expired token is refused with its
 * reason, never an error.
 */
export async function identifyCaller({ headers, queryToken, address }: Credentials): Promise<Caller | NotSignedIn> {
  const authorization = headers.get("authorization");
  const jobToken = authorization === null ? queryToken : BEARER.exec(authorization)?.[1];
  if (jobToken && isJobToken(jobToken)) return jobTokenCaller(jobToken, address);
  if (authorization !== null) {
    const token = BEARER.exec(authorization)?.[1];
    const owner = token ? await findTokenOwner(getDb(), token) : null;
    if (!owner) return { signedOut: false, reason: "The API token is not valid, or has been revoked." };
    return toCaller(owner, "token", address);
  }
  const session = await (await getAuth()).api.getSession({ headers });
  if (!session) return { signedOut: true };
  return toCaller(session.user, "session", address);
}

export const isCaller = (identified: Caller | NotSignedIn): identified is Caller => !("signedOut" in identified);

async function jobTokenCaller(token: string, address: string): Promise<Caller | NotSignedIn> {
  const grant = await findJobToken(getDb(), token);
  if (!grant) return { signedOut: false, reason: "The job token is not valid, or has expired." };
  return {
    // It reads as the job's owner would, one job only (lib/http/route.ts holds it to that job).
    id: grant.ownerId ?? "",
    email: "",
    name: "job token",
    role: "user",
    via: "job-token",
    jobId: grant.jobId,
    expiresAt: grant.expiresAt,
    jobTokenKey: hashApiToken(token),
    address,
  };
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
