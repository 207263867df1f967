import { z } from "zod";
import type { ZodOpenApiOperationObject } from "zod-openapi";
import { isDatabaseUnavailable } from "@/db/outages";
import { type Caller, isAdmin } from "@/lib/auth/caller";
import { isCrossOrigin } from "@/lib/auth/origins";
import { InvalidInput, RateLimited, TooManyInProgress } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { observeHttpRequest } from "@/lib/metrics/http";
import { unstorableText } from "@/lib/storable-text";
import { authenticate, loggableUrl } from "./caller";
import { clientAddress } from "./forwarded";
import { IN_PROGRESS_RETRY_AFTER_S, problemFromError, problemResponse, problems } from "./problem";
import { recentRefusals } from "./recent-refusals";

/**
 * The HTTP edge, declared. An operation (lib/http/api/) says a method, a
 * path, who may call it, its path parameters and its OpenAPI description; a
 * route file attaches a handler to each of its operations with `handle` and
 * exports what `apiRoute` makes of them. Everything else follows from the
 * declarations: authentication, path and query parsing, 405 with Allow for every
 * other method, one mapping of errors to problem details, request metrics,
 * and the OpenAPI document (lib/http/openapi.ts), which cannot leave out an
 * operation that a route serves.
 */

export const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof methods)[number];

/** public: anyone; user: a session or API token (401 otherwise); admin: an admin (404 to anyone else signed in). */
export type Access = "public" | "user" | "admin";

type ParamsSchema = z.ZodObject;
type QuerySchema = z.ZodObject;
const noParams = z.object({});
type NoQuery = typeof noParams;

export interface Operation<
  P extends ParamsSchema = ParamsSchema,
  A extends Access = Access,
  Q extends QuerySchema = QuerySchema,
> {
  method: Method;
  /** In OpenAPI's form: /api/jobs/{id}. The route file's folder must match it. */
  path: string;
  access: A;
  /** The path's parameters; a value that does not fit is a 404, as a missing resource is. */
  params?: P;
  /** The query string's parameters; a query that does not fit is a 422 problem naming them. */
  query?: Q;
  /** The OpenAPI operation, without the path and query parameters and the 401 (all derived). */
  doc: ZodOpenApiOperationObject;
  /** A read-only job token may call it, for its own job (the `id` parameter) only. */
  jobToken?: true;
}

/** Declares an operation; the generics carry its parameters, query and access to the handler. */
export function operation<P extends ParamsSchema, A extends Access, Q extends QuerySchema = NoQuery>(
  declared: Operation<P, A, Q>,
): Operation<P, A, Q> {
  return declared;
}

export interface HandlerContext<P extends ParamsSchema, A extends Access, Q extends QuerySchema = NoQuery> {
  request: Request;
  params: z.output<P>;
  query: z.output<Q>;
  /** Who is calling: always set unless the operation is public. */
  caller: A extends "public" ? null : Caller;
}

/** An operation with its handler attached: what a route file (and our own server, for the realtime paths) serves. */
export interface Handled {
  operation: Operation;
  run(request: Request, params: unknown): Promise<Response>;
}

/**
 * Who calls, checked as the operation says (authenticated, from our own
 * pages for a cookie's write, admin-only), and its query parsed.
 */
export async function contextOf<P extends ParamsSchema, A extends Access, Q extends QuerySchema>(
  declared: Operation<P, A, Q>,
  request: Request,
  params: unknown,
): Promise<HandlerContext<P, A, Q>> {
  const caller = declared.access === "public" ? null : await authenticate(request);
  // A cookie goes with every request the browser makes, whichever page
  // asks: a write on the strength of one must come from our own pages.
  if (caller?.via === "session" && declared.method !== "GET" && isCrossOrigin(request)) {
    throw problems.crossOrigin(request.headers.get("origin") ?? "");
  }
  // A job token reads its one job: anything else is refused, another job is one that does not exist.
  if (caller?.via === "job-token") {
    if (!declared.jobToken) throw problems.readOnlyJobToken();
    if ((params as { id?: unknown }).id !== caller.jobId) throw problems.notFound("No such resource.");
  }
  // The admin API is not advertised to others: it answers as a page that does not exist.
  if (declared.access === "admin" && !(caller && isAdmin(caller))) throw problems.notFound("No such resource.");
  const query = (declared.query ?? noParams).parse(Object.fromEntries(new URL(request.url).searchParams));
  return {
    request,
    params: params as z.output<P>,
    query: query as z.output<Q>,
    caller: caller as HandlerContext<P, A, Q>["caller"],
  };
}

/** Attaches a handler to an operation. */
export function handle<P extends ParamsSchema, A extends Access, Q extends QuerySchema>(
  declared: Operation<P, A, Q>,
  handler: (context: HandlerContext<P, A, Q>) => Promise<Response>,
): Handled {
  return {
    operation: declared as unknown as Operation,
    run: async (request, params) => handler(await contextOf(declared, request, params)),
  };
}

/** The response for an error thrown while serving `request`: its problem, a 503 for an outage, else a logged 500. */
export function errorResponse(error: unknown, request: Request): Response {
  const problem = problemFromError(error);
  // A limit's 429 holds for its Retry-After: the same request again meanwhile is refused before it costs anything.
  if (problem && error instanceof RateLimited)
    recentRefusals().remember(request, error.retryAfterSeconds, problem.problem);
  if (problem && error instanceof TooManyInProgress) {
    recentRefusals().remember(request, IN_PROGRESS_RETRY_AFTER_S, problem.problem);
  }
  if (problem) return problemResponse(problem.problem, problem.headers);
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: error, url: loggableUrl(request.url) }, "database unavailable");
    const unavailable = problems.databaseUnavailable();
    return problemResponse(unavailable.problem, unavailable.headers);
  }
  logger.error(
    { err: error, method: request.method, url: loggableUrl(request.url), client: clientAddress(request) },
    "unhandled error in route",
  );
  return problemResponse(problems.internal().problem);
}

// Routes without dynamic segments get no params at all.
type RouteContext = { params?: Promise<Record<string, string | string[]>> };
export type RouteHandler = (request: Request, context?: RouteContext) => Promise<Response>;

/**
 * A route file's exports: one handler per method. The methods it has no
 * operation for answer 405 problem details with Allow, rather than Next's
 * bare 405.
 */
export function apiRoute(...handled: Handled[]): Record<Method, RouteHandler> {
  const path = handled[0]?.operation.path;
  for (const { operation: declared } of handled) {
    if (declared.path !== path) throw new Error(`one route serves one path: ${declared.path} is not ${path}`);
  }
  const allow = methods.filter((method) => handled.some((entry) => entry.operation.method === method)).join(", ");
  const notAllowed: RouteHandler = async (request) =>
    problemResponse(
      {
        type: "/problems/method-not-allowed",
        title: "Method not allowed",
        status: 405,
        detail: `${request.method} is not supported here; use ${allow}.`,
      },
      { Allow: allow },
    );
  const route = {} as Record<Method, RouteHandler>;
  for (const method of methods) {
    const entry = handled.find((candidate) => candidate.operation.method === method);
    route[method] = entry ? serve(entry) : notAllowed;
  }
  return route;
}

/**
 * The path's parameters as the operation declares them, and the query
 * checked for text PostgreSQL cannot store (a NUL); throws the problem.
 */
export function checkedParams(declared: Operation, rawParams: unknown, request: Request): unknown {
  const params = (declared.params ?? noParams).safeParse(rawParams ?? {});
  if (!params.success) throw problems.notFound("No such resource.");
  const query = unstorableText(Object.fromEntries(new URL(request.url).searchParams), ["query"]);
  if (query.length > 0) throw new InvalidInput("The query holds text that cannot be stored.", query);
  return params.data;
}

/** Checks the parameters, runs the handler, maps any error, and times it all for /api/metrics. */
export function serve({ operation: declared, run }: Handled): RouteHandler {
  return async (request, context) => {
    const started = performance.now();
    let response: Response;
    try {
      response = await run(request, checkedParams(declared, await context?.params, request));
    } catch (error) {
      response = errorResponse(error, request);
    }
    observeHttpRequest(declared.path, request.method, response.status, performance.now() - started);
    return response;
  };
}
