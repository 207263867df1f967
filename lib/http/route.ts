import { z } from "zod";
import { isDatabaseUnavailable } from "@/db/errors";
import { logger } from "@/lib/logger";
import { observeHttpRequest } from "@/lib/metrics/http";
import { authenticate, type Caller, isAdmin } from "./caller";
import { HttpProblem, problemResponse, problems } from "./problem";

// Routes without dynamic segments get no params at all.
type RouteContext = { params?: Promise<Record<string, string | string[]>> };

export function errorResponse(error: unknown, request: Request): Response {
  if (error instanceof HttpProblem) return problemResponse(error.problem, error.headers);
  if (error instanceof z.ZodError) {
    const problem = problems.invalidRequest("The request does not match the expected shape.", error.issues);
    return problemResponse(problem.problem);
  }
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: error, url: request.url }, "database unavailable");
    const problem = problems.databaseUnavailable();
    return problemResponse(problem.problem, problem.headers);
  }
  logger.error({ err: error, method: request.method, url: request.url }, "unhandled error in route");
  return problemResponse(problems.internal().problem);
}

interface RouteSpec<S extends z.ZodType> {
  /** The route's pattern, as the metrics label it: "/api/jobs/[id]". */
  path: string;
  /** The dynamic segments; a mismatch is a 404, as a missing resource is. */
  params?: S;
}

const noParams = z.object({});

/**
 * One wrapper for every API route: validates the dynamic segments, times the
 * request for /api/metrics and maps every error to problem details in one
 * place, so handlers only parse, call and respond.
 */
function wrap<S extends z.ZodType>(
  spec: RouteSpec<S>,
  run: (request: Request, params: z.output<S>) => Promise<Response>,
) {
  const schema = spec.params ?? noParams;
  return async (request: Request, context?: RouteContext): Promise<Response> => {
    const started = performance.now();
    let response: Response;
    try {
      const params = schema.safeParse((await context?.params) ?? {});
      if (!params.success) throw problems.notFound("No such resource.");
      response = await run(request, params.data as z.output<S>);
    } catch (error) {
      response = errorResponse(error, request);
    }
    observeHttpRequest(spec.path, request.method, response.status, performance.now() - started);
    return response;
  };
}

/** A route anyone may call (health, the OpenAPI document). */
export function publicRoute<S extends z.ZodType>(
  spec: RouteSpec<S>,
  handler: (request: Request, params: z.output<S>) => Promise<Response>,
) {
  return wrap(spec, handler);
}

/** A route for signed-in users and API tokens; anyone else gets 401. */
export function userRoute<S extends z.ZodType>(
  spec: RouteSpec<S>,
  handler: (request: Request, params: z.output<S>, caller: Caller) => Promise<Response>,
) {
  return wrap(spec, async (request, params) => handler(request, params, await authenticate(request)));
}

/**
 * A route for admins only. Anyone else signed in gets 404, as for a page
 * that does not exist: the admin API is not advertised to them.
 */
export function adminRoute<S extends z.ZodType>(
  spec: RouteSpec<S>,
  handler: (request: Request, params: z.output<S>, caller: Caller) => Promise<Response>,
) {
  return wrap(spec, async (request, params) => {
    const caller = await authenticate(request);
    if (!isAdmin(caller)) throw problems.notFound("No such resource.");
    return handler(request, params, caller);
  });
}

/**
 * The answer for a method a resource does not support: 405 problem details
 * with Allow, rather than Next's bare 405.
 */
export function methodNotAllowed(allow: string) {
  return async (request: Request): Promise<Response> =>
    problemResponse(
      {
        type: "/problems/method-not-allowed",
        title: "Method not allowed",
        status: 405,
        detail: `${request.method} is not supported here; use ${allow}.`,
      },
      { Allow: allow },
    );
}
