import { apiKey } from "@better-auth/api-key";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import { admin } from "better-auth/plugins";
import * as schema from "@/db/schema";
import { config } from "@/lib/config";
import { getDb } from "@/lib/db";
import { appOrigins } from "./origins";
import { MIN_PASSWORD_LENGTH } from "./password";
import { readAuthSecret } from "./secret";

/** The prefix of every API token, so a leaked one is recognisable in logs and secret scanners. */
export const API_TOKEN_PREFIX = "acc_";

function createAuth(secret: string) {
  return betterAuth({
    secret,
    // Without a public URL (BETTER_AUTH_URL), the app runs on whatever host and
    // port it is reached at (localhost, 127.0.0.1, a LAN address; tests use
    // free ports): better-auth takes its base URL from each request, and
    // accepts sign-ins from the app's own origin, whichever address that is.
    // The fallback serves server-side calls that have no request (the first admin).
    baseURL: config().BETTER_AUTH_URL ?? { allowedHosts: ["*"], fallback: "http://localhost" },
    trustedOrigins: (request) => appOrigins(request),
    database: drizzleAdapter(getDb(), {
      provider: "pg",
      schema: {
        user: schema.users,
        session: schema.sessions,
        account: schema.accounts,
        verification: schema.verifications,
        apikey: schema.apiKeys,
      },
    }),
    emailAndPassword: { enabled: true, autoSignIn: true, minPasswordLength: MIN_PASSWORD_LENGTH },
    session: {
      // No signed-cookie cache: every request checks its session in the
      // database (one indexed query), so a sign-out, a revoked session, a ban
      // or a role change takes effect on the very next request. API tokens
      // are cached, safely: see lib/auth/token-cache.ts.
      cookieCache: { enabled: false },
    },
    telemetry: { enabled: false },
    advanced: {
      // better-auth marks cookies Secure in production by default, which a
      // browser drops over plain http: `npm start` on a LAN address would let
      // nobody sign in. Behind TLS, BETTER_AUTH_URL=https://… turns it on.
      useSecureCookies: config().BETTER_AUTH_URL?.startsWith("https://") ?? false,
    },
    // Off here: the auth route counts every call against limits kept in
    // PostgreSQL (lib/auth/rate-limits.ts), which hold across web processes.
    rateLimit: { enabled: false },
    plugins: [
      admin({ defaultRole: "user", adminRoles: ["admin"] }),
      apiKey({
        // The plugin makes, lists and revokes tokens (hashed); our routes
        // check `Authorization: Bearer acc_...` themselves (lib/auth/api-token.ts).
        defaultPrefix: API_TOKEN_PREFIX,
        // New tokens carry no request quota: they are for polling clients,
        // which a quota would cut off mid-job.
        rateLimit: { enabled: false },
      }),
      nextCookies(),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const holder = globalThis as typeof globalThis & { __acceptedAuth?: Promise<Auth> };

/** This process's better-auth instance, built once the database (and so the secret) is reachable. */
export function getAuth(): Promise<Auth> {
  if (!holder.__acceptedAuth) {
    holder.__acceptedAuth = readAuthSecret().then(createAuth);
    holder.__acceptedAuth.catch(() => {
      holder.__acceptedAuth = undefined;
    });
  }
  return holder.__acceptedAuth;
}
