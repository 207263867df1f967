import { getSessionCookie } from "better-auth/cookies";
import { type NextRequest, NextResponse } from "next/server";

/**
 * Sends a visitor without a session cookie to the sign-in page, remembering
 * where they were going. Only a first, cheap check: the pages verify the
 * session itself (lib/auth/session.ts) and the API answers 401 on its own.
 */
export function proxy(request: NextRequest) {
  if (getSessionCookie(request)) return NextResponse.next();
  const signIn = new URL("/sign-in", request.url);
  signIn.searchParams.set("next", `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Pages only: not the API, Next's assets, the icon, or the sign-in and sign-up pages.
  matcher: ["/((?!api/|_next/|favicon\\.ico|icon\\.svg|sign-in|sign-up|docs).*)"],
};
