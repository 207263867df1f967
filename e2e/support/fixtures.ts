import {
  type APIRequestContext,
  type APIResponse,
  type BrowserContext,
  test as base,
  expect,
  type Page,
} from "@playwright/test";
import postgres from "postgres";
import { type ApiUser, createApiUser, signInApiUser } from "@/e2e/support/api-user";
import type { JobStatus } from "@/lib/jobs/representation";

export type { ApiUser, JobStatus };
export { expect };

export const baseURL = process.env.BASE_URL ?? "http://localhost:3000";

/** The first admin, whose credentials `npm test` gives both the app and the tests. */
export function adminCredentials(): { email: string; password: string } {
  const email = process.env.ACCEPTED_ADMIN_EMAIL;
  const password = process.env.ACCEPTED_ADMIN_PASSWORD;
  if (!email || !password) throw new Error("ACCEPTED_ADMIN_EMAIL/PASSWORD are not set; run the tests with `npm test`.");
  return { email, password };
}

/**
 * Signs a browser context in as `user`, with the session they already have:
 * no sign-in request, since better-auth allows only a few per IP and minute
 * (the sign-in form itself is tested in e2e/browser/auth.spec.ts).
 */
export async function signIn(context: BrowserContext, user: Pick<ApiUser, "cookie">): Promise<void> {
  await context.addCookies(
    user.cookie.split("; ").map((pair) => {
      const [name = "", ...value] = pair.split("=");
      return { name, value: value.join("="), url: baseURL };
    }),
  );
}

type JobState = JobStatus["state"];

/** The HTTP API as a client uses it; redirects are never followed, so 303s are seen. */
export class JobsApi {
  constructor(private readonly request: APIRequestContext) {}

  submit(type: string, input: Record<string, unknown> = {}): Promise<APIResponse> {
    return this.request.post("/api/jobs", { data: { type, input }, maxRedirects: 0 });
  }

  async submitAccepted(type: string, input: Record<string, unknown> = {}): Promise<JobStatus> {
    const response = await this.submit(type, input);
    expect(response.status(), await response.text()).toBe(202);
    return (await response.json()) as JobStatus;
  }

  status(id: string, options: { redirect?: boolean } = {}): Promise<APIResponse> {
    const query = options.redirect === false ? "?redirect=false" : "";
    return this.request.get(`/api/jobs/${id}${query}`, { maxRedirects: 0 });
  }

  /** Polls the status monitor, at the pace its Retry-After asks (at most 1 s), until the job is in one of `states`. */
  async waitForState(id: string, states: JobState[], timeoutMs = 30_000): Promise<JobStatus> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = await this.status(id, { redirect: false });
      expect(response.status()).toBe(200);
      const job = (await response.json()) as JobStatus;
      if (states.includes(job.state)) return job;
      if (Date.now() > deadline) throw new Error(`job ${id} still ${job.state} after ${timeoutMs} ms`);
      const retryAfterS = Number(response.headers()["retry-after"] ?? 1);
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, retryAfterS * 1_000)));
    }
  }
}

interface TestFixtures {
  jobsApi: JobsApi;
  /** An API context authenticated as the first admin. */
  adminApi: APIRequestContext;
  /** A page in a browser context of its own, signed in as the first admin. */
  adminPage: Page;
  /** An API context for any user; disposed after the test. */
  apiOf: (user: ApiUser) => Promise<APIRequestContext>;
  /** The API with no credentials at all. */
  anonymous: APIRequestContext;
  /** An API context authenticated as `stranger`. */
  strangerApi: APIRequestContext;
}

interface WorkerFixtures {
  sql: postgres.Sql;
  /** The user the tests act as: `request`, `jobsApi` and the signed-in `page` are theirs. */
  owner: ApiUser;
  /** The first admin, with a token. */
  admin: ApiUser;
  /** Another signed-up user with a token, to prove they cannot see the owner's jobs. */
  stranger: ApiUser;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  // One user per Playwright worker, seeded through the real sign-up API.
  owner: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures must destructure their first argument.
    async ({}, use) => use(await createApiUser(baseURL, "owner")),
    { scope: "worker" },
  ],
  admin: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures must destructure their first argument.
    async ({}, use) => {
      const { email, password } = adminCredentials();
      await use(await signInApiUser(baseURL, email, password));
    },
    { scope: "worker" },
  ],
  // Every API call a spec makes through `request` carries the owner's token.
  request: async ({ playwright, owner }, use) => {
    const context = await playwright.request.newContext({ baseURL, extraHTTPHeaders: owner.headers });
    await use(context);
    await context.dispose();
  },
  anonymous: async ({ playwright }, use) => {
    const context = await playwright.request.newContext({ baseURL });
    await use(context);
    await context.dispose();
  },
  stranger: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures must destructure their first argument.
    async ({}, use) => use(await createApiUser(baseURL, "stranger")),
    { scope: "worker" },
  ],
  adminApi: async ({ playwright, admin }, use) => {
    const context = await playwright.request.newContext({ baseURL, extraHTTPHeaders: admin.headers });
    await use(context);
    await context.dispose();
  },
  adminPage: async ({ browser, admin }, use) => {
    const context = await browser.newContext();
    await signIn(context, admin);
    await use(await context.newPage());
    await context.close();
  },
  apiOf: async ({ playwright }, use) => {
    const contexts: APIRequestContext[] = [];
    await use(async (user) => {
      const context = await playwright.request.newContext({ baseURL, extraHTTPHeaders: user.headers });
      contexts.push(context);
      return context;
    });
    for (const context of contexts) await context.dispose();
  },
  strangerApi: async ({ playwright, stranger }, use) => {
    const context = await playwright.request.newContext({ baseURL, extraHTTPHeaders: stranger.headers });
    await use(context);
    await context.dispose();
  },
  // Browser pages start signed in as the owner, by session cookie.
  page: async ({ page, owner }, use) => {
    await signIn(page.context(), owner);
    await use(page);
  },
  // The same database the app uses, to check what was (or was not) written.
  sql: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures must destructure their first argument.
    async ({}, use) => {
      const url = process.env.DATABASE_URL;
      if (!url) throw new Error("DATABASE_URL is not set; run the tests with `npm test`.");
      const sql = postgres(url, { max: 2, onnotice: () => {} });
      await use(sql);
      await sql.end({ timeout: 5 });
    },
    { scope: "worker" },
  ],
  jobsApi: async ({ request }, use) => {
    await use(new JobsApi(request));
  },
});

/**
 * How many jobs these users own: a test that must write nothing counts its own users' rows only, so tests in
 * other Playwright workers (each with owners of its own) may write meanwhile.
 */
export async function countJobs(sql: postgres.Sql, ...ownerIds: string[]): Promise<number> {
  const [row] = await sql<
    { count: number }[]
  >`select count(*)::int as count from jobs where owner_id = any(${ownerIds})`;
  return row?.count ?? 0;
}

/** Submits a demo.steps job through the app at `baseUrl` (another instance, say) as `owner`: its 202 body. */
export async function submitDemoVia(
  baseUrl: string,
  owner: ApiUser,
  input: Record<string, unknown>,
): Promise<JobStatus> {
  const response = await fetch(`${baseUrl}/api/jobs`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...owner.headers },
    body: JSON.stringify({ type: "demo.steps", input }),
  });
  expect(response.status).toBe(202);
  return (await response.json()) as JobStatus;
}
