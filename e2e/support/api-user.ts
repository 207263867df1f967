import { randomUUID } from "node:crypto";

/** A user of a running app, signed in and holding an API token: how tests, benchmarks and load runs call the API. */
export interface ApiUser {
  id: string;
  email: string;
  password: string;
  /** `Authorization: Bearer <token>` acts as this user. */
  token: string;
  /** The session cookie ("name=value"), for what a browser would send. */
  cookie: string;
  headers: { Authorization: string };
}

async function authCall(baseUrl: string, path: string, body: unknown, cookie?: string): Promise<Response> {
  const response = await fetch(`${baseUrl}/api/auth${path}`, {
    method: "POST",
    // better-auth checks Origin on cookie-carrying calls, as a browser sends it.
    headers: { "Content-Type": "application/json", Origin: baseUrl, ...(cookie ? { Cookie: cookie } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return response;
}

const sessionCookieOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0] ?? "")
    .filter((cookie) => cookie.includes("session_token"))
    .join("; ");

/** Signs in as an existing user and gives them a fresh API token. */
export async function signInApiUser(baseUrl: string, email: string, password: string): Promise<ApiUser> {
  return withToken(baseUrl, email, password, await authCall(baseUrl, "/sign-in/email", { email, password }));
}

/** Creates an API token in the session that a sign-up or sign-in answer opened. */
async function withToken(baseUrl: string, email: string, password: string, signedIn: Response): Promise<ApiUser> {
  const { user } = (await signedIn.json()) as { user: { id: string } };
  const cookie = sessionCookieOf(signedIn);
  const created = await authCall(baseUrl, "/api-key/create", { name: "automation" }, cookie);
  const { key } = (await created.json()) as { key: string };
  return { id: user.id, email, password, token: key, cookie, headers: { Authorization: `Bearer ${key}` } };
}

/** Signs up a new user with a unique email (`label` makes it readable in the admin console). */
export async function createApiUser(baseUrl: string, label = "user"): Promise<ApiUser> {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
  const password = `pw-${randomUUID()}`;
  // Sign-up signs in too; better-auth allows few sign-ins per IP, so not a second time.
  return withToken(
    baseUrl,
    email,
    password,
    await authCall(baseUrl, "/sign-up/email", { email, password, name: label }),
  );
}

/** Creates another API token in `user`'s session, as the tokens page does; `revoke` deletes it. */
export async function createToken(baseUrl: string, user: Pick<ApiUser, "cookie">, name: string) {
  const created = await authCall(baseUrl, "/api-key/create", { name }, user.cookie);
  const { key, id } = (await created.json()) as { key: string; id: string };
  return {
    key,
    headers: { Authorization: `Bearer ${key}` },
    revoke: async () => (await authCall(baseUrl, "/api-key/delete", { keyId: id }, user.cookie)).status,
  };
}
