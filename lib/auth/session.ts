import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { type Caller, identifyCaller, isAdmin, isCaller } from "./caller";

/** The signed-in user of the page being rendered, or null. */
export async function currentCaller(): Promise<Caller | null> {
  const pageHeaders = await headers();
  // server.ts has settled X-Forwarded-For to the client's address before Next.js sees the request.
  const address = pageHeaders.get("x-forwarded-for") ?? "unknown";
  const identified = await identifyCaller({ headers: pageHeaders, queryToken: null, address });
  return isCaller(identified) ? identified : null;
}

/** For pages behind sign-in: the user, or a redirect to the sign-in page that comes back here. */
export async function requireCaller(returnTo: string): Promise<Caller> {
  const caller = await currentCaller();
  if (!caller) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  return caller;
}

/** For admin pages: others get the 404 page, as the API gives them 404. */
export async function requireAdmin(): Promise<Caller> {
  const caller = await requireCaller("/admin");
  if (!isAdmin(caller)) notFound();
  return caller;
}
