import { findTokenOwner, hashApiToken } from "@/lib/auth/api-token";
import { getAuth } from "@/lib/auth/auth";
import { findJobToken, isJobToken } from "@/lib/auth/job-token";
import { config } from "@/lib/config";
import { getDb } from "@/lib/db";
import type { JobScope } from "@/lib/jobs/queries";
import type { ConnectionAllowance } from "@/lib/realtime/connection-caps";
import { clientAddress } from "./forwarded";
import { problems } from "./problem";

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
  /** The client's address, from the one place the server settles it (lib/http/forwarded.ts). */
  address: string;
}

const BEARER = /^Bearer\s+(\S+)$/i;

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
 * Who sent the request, or a 401 problem: an API token in Authorization
 * (checked in one query, see lib/auth/api-token.ts), or else better-auth's
 * session cookie (its signed cookie cache spares most requests a query).
 * A bad or revoked token is a 401 too, never a 500, and says so.
 */
export async function authenticate(request: Request): Promise<Caller> {
  const authorization = request.headers.get("authorization");
  // A job token may come in the query too (access_token), for what cannot
  // send headers: a browser's WebSocket or EventSource. It is read-only,
  // short-lived, and kept out of the logs (loggableUrl).
  const queryToken = new URL(request.url).searchParams.get(ACCESS_TOKEN_PARAM);
  const jobToken = authorization === null ? queryToken : BEARER.exec(authorization)?.[1];
  if (jobToken && isJobToken(jobToken)) return jobTokenCaller(jobToken, clientAddress(request));
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

async function jobTokenCaller(token: string, address: string): Promise<Caller> {
  const grant = await findJobToken(getDb(), token);
  if (!grant) throw problems.unauthenticated("The job token is not valid, or has expired.");
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

/**
 * Whose realtime connections a request's count against: the user's own, or,
 * with a read-only job token, that token's small allowance, apart from its
 * owner's (a token handed to a browser must not be able to cut the owner off).
 */
export function connectionAllowance(caller: Caller): ConnectionAllowance {
  const settings = config();
  if (caller.via !== "job-token") return { key: caller.id, cap: settings.REALTIME_MAX_CONNECTIONS_PER_USER };
  // Never the owner's allowance by mistake: a job token's caller always carries its key.
  if (!caller.jobTokenKey) throw new Error("a job token's caller has no jobTokenKey");
  return { key: `job-token:${caller.jobTokenKey}`, cap: settings.JOB_TOKEN_MAX_CONNECTIONS };
}
