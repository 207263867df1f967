import { ZodError, type z } from "zod";
import { isDatabaseUnavailable } from "@/db/errors";
import { logger } from "@/lib/logger";
import { HttpProblem, problemResponse, problems } from "./problem";

// Routes without dynamic segments get no params at all.
type RouteContext = { params?: Promise<Record<string, string | string[]>> };
type Handler<P> = (request: Request, params: P) => Promise<Response>;

export function errorResponse(error: unknown, request: Request): Response {
  if (error instanceof HttpProblem) return problemResponse(error.problem, error.headers);
  if (error instanceof ZodError) {
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

/**
 * Wraps a route handler: validates the dynamic segments with `paramsSchema`
 * and maps every error to problem details in one place, so handlers only
 * parse, call and respond.
 */
export function route<S extends z.ZodType>(paramsSchema: S, handler: Handler<z.output<S>>) {
  return async (request: Request, context?: RouteContext): Promise<Response> => {
    try {
      const params = paramsSchema.safeParse((await context?.params) ?? {});
      if (!params.success) throw problems.notFound("No such resource.");
      return await handler(request, params.data);
    } catch (error) {
      return errorResponse(error, request);
    }
  };
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
