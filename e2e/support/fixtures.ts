import { type APIRequestContext, type APIResponse, test as base, expect } from "@playwright/test";
import postgres from "postgres";
import type { JobStatus } from "@/lib/jobs/representation";

export type { JobStatus };
export { expect };

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

export const test = base.extend<{ jobsApi: JobsApi }, { sql: postgres.Sql }>({
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

export async function countJobs(sql: postgres.Sql): Promise<number> {
  const [row] = await sql<{ count: number }[]>`select count(*)::int as count from jobs`;
  return row?.count ?? 0;
}
