import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { authenticate, type Caller, isAdmin } from "@/lib/http/caller";
import { HttpProblem } from "@/lib/http/problem";

/** The signed-in user of the page being rendered, or null. */
export async function currentCaller(): Promise<Caller | null> {
  const request = new Request("http://page.local/", { headers: await headers() });
  try {
    return await authenticate(request);
  } catch (error) {
    if (error instanceof HttpProblem && error.problem.status === 401) return null;
    throw error;
  }
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
