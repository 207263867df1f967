import { getAuth } from "@/lib/auth/auth";
import type { JobScope } from "@/lib/jobs/queries";
import { problems } from "./problem";

/** The signed-in user a request acts for, by session cookie or API token. */
export interface Caller {
  id: string;
  email: string;
  name: string;
  role: "user" | "admin";
}

/**
 * Who sent the request, or a 401 problem. A bad or revoked token is a 401
 * too, never a 500, and says so.
 */
export async function authenticate(request: Request): Promise<Caller> {
  const auth = await getAuth();
  let session: Awaited<ReturnType<typeof auth.api.getSession>>;
  try {
    session = await auth.api.getSession({ headers: request.headers });
  } catch (error) {
    if (isCredentialRejection(error)) {
      throw problems.unauthenticated("The API token is not valid, or has been revoked.");
    }
    // Anything else (the database being down, say) is not the client's fault.
    throw error;
  }
  if (!session) throw problems.unauthenticated();
  const { user } = session;
  return { id: user.id, email: user.email, name: user.name, role: user.role === "admin" ? "admin" : "user" };
}

/**
 * better-auth's answer to a bad token: an APIError with 401 or 403. Checked
 * by name, since its plugins throw APIErrors from more than one copy of the class.
 */
function isCredentialRejection(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== "APIError") return false;
  const status = (error as { statusCode?: unknown }).statusCode;
  return status === 401 || status === 403;
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
