import { config } from "@/lib/config";
import type { RateLimit } from "@/lib/rate-limits";

// better-auth's paths where a password (or a proof of one) is tried: guessing them is what the tight limit is for.
const CREDENTIAL_PATH =
  /^\/api\/auth\/(sign-in|sign-up|change-password|change-email|forget-password|reset-password|request-password-reset)(?:\/|$)/;

/**
 * The limit an auth call (better-auth's /api/auth/*) counts against, per
 * client address: SIGN_IN_ATTEMPTS_PER_MINUTE for each kind of password
 * attempt, AUTH_REQUESTS_PER_MINUTE for the rest but signing out (null:
 * no limit). Counted in PostgreSQL
 * (lib/rate-limits.ts), so they hold across every web process and restarts;
 * better-auth's own limiter keeps its counts in each process's memory.
 */
export function authRateLimit(pathname: string): RateLimit | null {
  // Signing out is never refused: someone behind a busy shared address must still be able to leave.
  if (pathname === "/api/auth/sign-out") return null;
  const { SIGN_IN_ATTEMPTS_PER_MINUTE, AUTH_REQUESTS_PER_MINUTE } = config();
  const credential = CREDENTIAL_PATH.exec(pathname)?.[1];
  return credential
    ? { name: credential, max: SIGN_IN_ATTEMPTS_PER_MINUTE, windowSeconds: 60 }
    : { name: "auth", max: AUTH_REQUESTS_PER_MINUTE, windowSeconds: 60 };
}
