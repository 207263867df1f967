/**
 * RFC 9457 problem details. Every error this API answers is one of these,
 * with `type` a URI reference under /problems/ that the app documents.
 */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export function problemType(slug: string): string {
  return `/problems/${slug}`;
}

/** Thrown anywhere below a route; the route wrapper turns it into a response. */
export class HttpProblem extends Error {
  readonly problem: ProblemDetails;
  readonly headers: Record<string, string>;

  constructor(
    init: { slug: string; title: string; status: number; detail?: string },
    extensions: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(init.detail ?? init.title);
    this.problem = {
      type: problemType(init.slug),
      title: init.title,
      status: init.status,
      ...(init.detail ? { detail: init.detail } : {}),
      ...extensions,
    };
    this.headers = headers;
  }
}

export function problemResponse(problem: ProblemDetails, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "Content-Type": PROBLEM_CONTENT_TYPE, "Cache-Control": "no-store", ...headers },
  });
}

// The problems the HTTP layer raises; job failures carry their own.
export const problems = {
  unauthenticated: (detail = "Sign in, or send an API token as Authorization: Bearer <token>.") =>
    new HttpProblem(
      { slug: "unauthenticated", title: "Authentication required", status: 401, detail },
      {},
      // RFC 9110: a 401 names the scheme the client should use.
      { "WWW-Authenticate": 'Bearer realm="accepted"' },
    ),
  notFound: (detail: string) => new HttpProblem({ slug: "not-found", title: "Not found", status: 404, detail }),
  malformedJson: (detail: string) =>
    new HttpProblem({ slug: "malformed-json", title: "The request body is not valid JSON", status: 400, detail }),
  invalidRequest: (detail: string, errors: unknown[]) =>
    new HttpProblem({ slug: "invalid-request", title: "The request is not valid", status: 422, detail }, { errors }),
  unsupportedMediaType: (received: string | null, expected = "application/json") =>
    new HttpProblem(
      {
        slug: "unsupported-media-type",
        title: "Unsupported media type",
        status: 415,
        detail: `Send the body as ${expected}${received ? `, not ${received}` : ""}.`,
      },
      {},
      { "Accept-Post": expected },
    ),
  invalidUpload: (detail: string) =>
    new HttpProblem({ slug: "invalid-upload", title: "The uploaded file cannot be used", status: 422, detail }),
  malformedBody: (detail: string) =>
    new HttpProblem({ slug: "malformed-body", title: "The request body is malformed", status: 400, detail }),
  payloadTooLarge: (limitBytes: number) =>
    new HttpProblem({
      slug: "payload-too-large",
      title: "The request body is too large",
      status: 413,
      detail: `The body may be at most ${limitBytes} bytes.`,
    }),
  resultNotReady: (jobId: string, state: string) =>
    new HttpProblem(
      {
        slug: "result-not-available",
        title: "The job has no result",
        status: 409,
        detail:
          state === "queued" || state === "running"
            ? `The job is ${state}; its result exists once it has succeeded.`
            : `The job is ${state}, so it has no result.`,
      },
      { jobId, state },
      { Link: `</api/jobs/${jobId}>; rel="monitor"` },
    ),
  expired: (jobId: string, state: string, expiredAt: Date) =>
    new HttpProblem(
      {
        slug: "job-expired",
        title: "The job has expired",
        status: 410,
        detail: `The job ${state} and was kept until ${expiredAt.toISOString()}; its result has been deleted.`,
      },
      { jobId, state, expiredAt: expiredAt.toISOString() },
    ),
  noResult: (jobId: string) =>
    new HttpProblem(
      {
        slug: "no-result",
        title: "This job has no result resource",
        status: 404,
        detail: "Its effect is the result: success is reported on the status URI itself.",
      },
      { jobId },
      { Link: `</api/jobs/${jobId}>; rel="monitor"` },
    ),
  idempotencyKeyReused: (jobId: string) =>
    new HttpProblem(
      {
        slug: "idempotency-key-reused",
        title: "This Idempotency-Key was used for a different request",
        status: 422,
        detail: "Send a new key for a new request; a key repeats only the request it was first sent with.",
      },
      { jobId },
    ),
  invalidHeader: (header: string, detail: string) =>
    new HttpProblem({ slug: "invalid-header", title: `Invalid ${header} header`, status: 400, detail }),
  conflict: (jobId: string, state: string, detail: string) =>
    new HttpProblem(
      { slug: "job-state-conflict", title: "The job is not in a state that allows this", status: 409, detail },
      { jobId, state },
    ),
  databaseUnavailable: () =>
    new HttpProblem(
      {
        slug: "service-unavailable",
        title: "The database is unavailable",
        status: 503,
        detail: "Accepted cannot reach its database right now. Nothing was written; try again shortly.",
      },
      {},
      { "Retry-After": "5" },
    ),
  internal: () =>
    new HttpProblem({
      slug: "internal-error",
      title: "Internal server error",
      status: 500,
      detail: "Something went wrong on our side. It has been logged.",
    }),
};
