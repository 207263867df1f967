import type { components, paths } from "./openapi.ts";
import { problemOf } from "./problem.ts";

/** The status representation (generated from the OpenAPI document). */
export type JobStatus = components["schemas"]["JobStatus"];
export type JobState = JobStatus["state"];
/** One line of a job's own log (generated from the OpenAPI document). */
export type JobLogLine = components["schemas"]["JobLogLine"];
export type JobLogPage = components["schemas"]["JobLogPage"];

/** Whether a job has reached a final state: succeeded, failed or cancelled. */
export const isFinished = (state: JobState) => state === "succeeded" || state === "failed" || state === "cancelled";

export type SubmitBody = NonNullable<paths["/api/jobs"]["post"]["requestBody"]>["content"]["application/json"];
/** The job types the server offers, and each one's input (generated from the OpenAPI document). */
export type JobType = SubmitBody["type"];
export type InputOf<T extends JobType> = Extract<SubmitBody, { type: T }>["input"];

export interface ClientOptions {
  /** Where Accepted runs: http://localhost:3000. In a browser, the page's own origin by default. */
  baseUrl?: string;
  /** An API token, or a read-only job token (ajt_…). Without one, the browser's session cookie is used. */
  token?: string;
  /** The fetch to use (tests, or a runtime that wants its own); the global one by default. */
  fetch?: typeof fetch;
  /**
   * The W3C traceparent of the caller's current span, if it traces (for
   * OpenTelemetry: `() => { const c = {}; propagation.inject(context.active(), c); return c.traceparent; }`):
   * sent with each request, so the job's trace continues the caller's.
   */
  traceparent?: () => string | undefined;
}

/** Retry-After in milliseconds (seconds or an HTTP date), or null. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;
const traceparentHeader = (value: string | undefined): Record<string, string> =>
  value && TRACEPARENT.test(value) ? { traceparent: value } : {};

/** The HTTP side every handle shares: base URL, credentials, and problems as AcceptedProblem. */
export class Connection {
  readonly fetch: typeof fetch;
  constructor(readonly options: ClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  url(path: string): string {
    // Read at each request, not at creation, so a client made while a page renders on the server is harmless.
    const base = this.options.baseUrl ?? globalThis.location?.href;
    if (!base) throw new TypeError("createClient needs a baseUrl outside a browser");
    return new URL(path, base).toString();
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      Accept: "application/json",
      ...(this.options.token ? { Authorization: `Bearer ${this.options.token}` } : {}),
      ...traceparentHeader(this.options.traceparent?.()),
      ...extra,
    };
  }

  async request(path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Response> {
    return this.fetch(this.url(path), {
      ...init,
      headers: this.headers(init.headers),
      redirect: "manual",
      credentials: "include",
    });
  }

  /** A JSON answer, or the problem as an AcceptedProblem. */
  async json<T>(path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<T> {
    const response = await this.request(path, init);
    if (!response.ok) throw await problemOf(response);
    return (await response.json()) as T;
  }
}
