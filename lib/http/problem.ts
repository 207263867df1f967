import { z } from "zod";
import {
  BatchNotFinished,
  DomainError,
  IdempotencyKeyReused,
  InvalidInput,
  InvalidUpload,
  JobExpired,
  JobStateConflict,
  NoResultResource,
  NotFound,
  QuotaExceeded,
  RateLimited,
  ResultNotAvailable,
  TooManyConnections,
  TooManyInProgress,
  UnfinishedJobsCapReached,
  UnknownJobType,
  WebhookUrlRefused,
} from "@/lib/errors";

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

function problemType(slug: string): string {
  return `/problems/${slug}`;
}

// Something in progress is usually done within a second.
export const IN_PROGRESS_RETRY_AFTER_S = 1;

// A connection over the cap is worth retrying once another has closed: soon.
const CONNECTION_RETRY_AFTER_S = 5;

/** Thrown by the HTTP layer (lib/http, route files); the route wrapper turns it into a response. */
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

// The problems the HTTP layer raises itself; domain errors are mapped below, job failures carry their own.
export const problems = {
  unauthenticated: (detail = "Sign in, or send an API token as Authorization: Bearer <token>.") =>
    new HttpProblem(
      { slug: "unauthenticated", title: "Authentication required", status: 401, detail },
      {},
      // RFC 9110: a 401 names the scheme the client should use.
      { "WWW-Authenticate": 'Bearer realm="accepted"' },
    ),
  crossOrigin: (origin: string) =>
    new HttpProblem({
      slug: "cross-origin-request",
      title: "Cross-origin request refused",
      status: 403,
      detail: `A signed-in browser may change things here only from this app's own pages, not from ${origin}.`,
    }),
  readOnlyJobToken: () =>
    new HttpProblem({
      slug: "read-only-job-token",
      title: "A job token can only read its job",
      status: 403,
      detail: "This token reads one job (its status, events and result); use an API token for anything else.",
    }),
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
  malformedBody: (detail: string) =>
    new HttpProblem({ slug: "malformed-body", title: "The request body is malformed", status: 400, detail }),
  payloadTooLarge: (limitBytes: number) =>
    new HttpProblem({
      slug: "payload-too-large",
      title: "The request body is too large",
      status: 413,
      detail: `The body may be at most ${limitBytes} bytes.`,
    }),
  malformedPath: () =>
    new HttpProblem({
      slug: "malformed-path",
      title: "The path is not valid",
      status: 400,
      detail:
        "The path's percent-encoding does not decode to UTF-8 text (a stray %, %ff, an overlong or surrogate sequence).",
    }),
  invalidHeader: (header: string, detail: string) =>
    new HttpProblem({ slug: "invalid-header", title: `Invalid ${header} header`, status: 400, detail }),
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
  draining: () =>
    new HttpProblem(
      {
        slug: "draining",
        title: "This process is stopping",
        status: 503,
        detail: "It finishes the requests it has and takes no new ones; another instance will.",
      },
      {},
      { "Retry-After": "1" },
    ),
  internal: () =>
    new HttpProblem({
      slug: "internal-error",
      title: "Internal server error",
      status: 500,
      detail: "Something went wrong on our side. It has been logged.",
    }),
};

const monitorLink = (jobId: string) => ({ Link: `</api/jobs/${jobId}>; rel="monitor"` });

/** A domain error as problem details: the one place each kind gets its status, type and members. */
export function domainProblem(error: DomainError): HttpProblem {
  const detail = error.message;
  if (error instanceof NotFound) return problems.notFound(detail);
  if (error instanceof JobStateConflict) {
    return new HttpProblem(
      { slug: "job-state-conflict", title: "The job is not in a state that allows this", status: 409, detail },
      { jobId: error.jobId, state: error.state },
    );
  }
  if (error instanceof UnknownJobType) {
    return new HttpProblem(
      { slug: "unknown-job-type", title: "Unknown job type", status: 422, detail },
      { knownTypes: error.knownTypes },
    );
  }
  if (error instanceof InvalidInput) return problems.invalidRequest(detail, error.issues);
  if (error instanceof InvalidUpload) {
    return new HttpProblem({ slug: "invalid-upload", title: "The uploaded file cannot be used", status: 422, detail });
  }
  if (error instanceof IdempotencyKeyReused) {
    return new HttpProblem(
      {
        slug: "idempotency-key-reused",
        title: "This Idempotency-Key was used for a different request",
        status: 422,
        detail,
      },
      { jobId: error.jobId },
    );
  }
  if (error instanceof ResultNotAvailable) {
    return new HttpProblem(
      { slug: "result-not-available", title: "The job has no result", status: 409, detail },
      { jobId: error.jobId, state: error.state },
      monitorLink(error.jobId),
    );
  }
  if (error instanceof NoResultResource) {
    return new HttpProblem(
      { slug: "no-result", title: "This job has no result resource", status: 404, detail },
      { jobId: error.jobId },
      monitorLink(error.jobId),
    );
  }
  if (error instanceof JobExpired) {
    return new HttpProblem(
      { slug: "job-expired", title: "The job has expired", status: 410, detail },
      { jobId: error.jobId, state: error.state, expiredAt: error.expiredAt.toISOString() },
    );
  }
  if (error instanceof BatchNotFinished) {
    return new HttpProblem(
      { slug: "batch-not-finished", title: "The batch has not finished", status: 409, detail },
      { batchId: error.batchId, unfinished: error.unfinished },
      { Link: `</api/batches/${error.batchId}>; rel="monitor"` },
    );
  }
  if (error instanceof UnfinishedJobsCapReached) {
    return new HttpProblem(
      { slug: "too-many-unfinished-jobs", title: "Too many unfinished jobs", status: 429, detail },
      { cap: error.cap, unfinished: error.unfinished },
      { "Retry-After": String(error.retryAfterSeconds) },
    );
  }
  if (error instanceof TooManyConnections) {
    return new HttpProblem(
      { slug: "too-many-connections", title: "Too many open connections", status: 429, detail },
      { cap: error.cap },
      { "Retry-After": String(CONNECTION_RETRY_AFTER_S) },
    );
  }
  if (error instanceof RateLimited) {
    return new HttpProblem(
      { slug: "rate-limited", title: "Too many requests", status: 429, detail },
      { limit: error.limit.name, max: error.limit.max, windowSeconds: error.limit.windowSeconds },
      { "Retry-After": String(error.retryAfterSeconds) },
    );
  }
  if (error instanceof TooManyInProgress) {
    return new HttpProblem(
      { slug: "too-many-in-progress", title: "Too many in progress at once", status: 429, detail },
      { max: error.max },
      { "Retry-After": String(IN_PROGRESS_RETRY_AFTER_S) },
    );
  }
  if (error instanceof QuotaExceeded) {
    return new HttpProblem(
      { slug: "upload-quota-exceeded", title: "Upload quota exceeded", status: 413, detail },
      { quotaBytes: error.quotaBytes, usedBytes: error.usedBytes },
    );
  }
  if (error instanceof WebhookUrlRefused) {
    return new HttpProblem(
      { slug: "webhook-url-refused", title: "This URL cannot receive webhooks", status: 422, detail },
      { url: error.url },
    );
  }
  // A domain error with no mapping is a bug here, not the client's fault.
  return problems.internal();
}

/**
 * The problem an error stands for, when it stands for one: our own
 * HttpProblems, domain errors, and zod's validation errors (a 422). Null for
 * anything else, which the route wrapper answers as a 500 or a 503.
 */
export function problemFromError(error: unknown): HttpProblem | null {
  if (error instanceof HttpProblem) return error;
  if (error instanceof DomainError) return domainProblem(error);
  if (error instanceof z.ZodError) {
    return problems.invalidRequest("The request does not match the expected shape.", error.issues);
  }
  return null;
}
