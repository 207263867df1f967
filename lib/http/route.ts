import { z } from "zod";
import type { ZodOpenApiOperationObject } from "zod-openapi";
import { isDatabaseUnavailable } from "@/db/outages";
import { isCrossOrigin } from "@/lib/auth/origins";
import { InvalidInput, RateLimited, TooManyInProgress } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { observeHttpRequest } from "@/lib/metrics/http";
import { connectionCounts } from "@/lib/realtime/connection-caps";
import { type StreamStart, sseResponse } from "@/lib/realtime/sse";
import { unstorableText } from "@/lib/storable-text";
import { authenticate, type Caller, connectionAllowance, isAdmin, loggableUrl } from "./caller";
import { clientAddress } from "./forwarded";
import { IN_PROGRESS_RETRY_AFTER_S, problemFromError, problemResponse, problems } from "./problem";
import { recentRefusals } from "./recent-refusals";

/**
 * The HTTP edge, declared. An operation (lib/http/api/) says a method, a
 * path, who may call it, its path parameters and its OpenAPI description; a
 * route file attaches a handler to each of its operations with `handle` and
 * exports what `apiRoute` makes of them. Everything else follows from the
 * declarations: authentication, parameter checks, 405 with Allow for every
 * other method, one mapping of errors to problem details, request metrics,
 * and the OpenAPI document (lib/http/openapi.ts), which cannot leave out an
 * operation that a route serves.
 */

export const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof methods)[number];

/** public: anyone; user: a session or API token (401 otherwise); admin: an admin (404 to anyone else signed in). */
export type Access = "public" | "user" | "admin";

type ParamsSchema = z.ZodObject;

export interface Operation<P extends ParamsSchema = ParamsSchema, A extends Access = Access> {
  method: Method;
  /** In OpenAPI's form: /api/jobs/{id}. The route file's folder must match it. */
  path: string;
  access: A;
  /** The path's parameters; a value that does not fit is a 404, as a missing resource is. */
  params?: P;
  /** The OpenAPI operation, without the path parameters and the 401 (both derived). */
  doc: ZodOpenApiOperationObject;
  /** A read-only job token may call it, for its own job (the `id` parameter) only. */
  jobToken?: true;
}

/** Declares an operation; the generics carry its parameters and access to the handler. */
export function operation<P extends ParamsSchema, A extends Access>(declared: Operation<P, A>): Operation<P, A> {
  return declared;
}

export interface HandlerContext<P extends ParamsSchema, A extends Access> {
  request: Request;
  params: z.output<P>;
  /** Who is calling: always set unless the operation is public. */
  caller: A extends "public" ? null : Caller;
}

interface Handled {
  operation: Operation;
  run(request: Request, params: unknown): Promise<Response>;
}

/** Who calls, checked as the operation says: authenticated, from our own pages for a cookie's write, admin-only. */
async function contextOf<P extends ParamsSchema, A extends Access>(
  declared: Operation<P, A>,
  request: Request,
  params: unknown,
): Promise<HandlerContext<P, A>> {
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
  return { request, params: params as z.output<P>, caller: caller as HandlerContext<P, A>["caller"] };
}

/** Attaches a handler to an operation. */
export function handle<P extends ParamsSchema, A extends Access>(
  declared: Operation<P, A>,
  handler: (context: HandlerContext<P, A>) => Promise<Response>,
): Handled {
  return {
    operation: declared as unknown as Operation,
    run: async (request, params) => handler(await contextOf(declared, request, params)),
  };
}

/** An event stream's operation: served by Next.js as a route, and by our own server (server.ts) directly. */
export interface StreamHandled extends Handled {
  /** The same checks as `run`, then the stream's start, for our server to run on a Node response; throws a problem. */
  open(request: Request, params: unknown): Promise<StreamStart>;
}

/**
 * Attaches an event stream to an operation. Each open stream counts
 * against its user's connection cap (lib/realtime/connection-caps.ts)
 * until it closes.
 */
export function handleStream<P extends ParamsSchema>(
  declared: Operation<P, "user">,
  opener: (context: HandlerContext<P, "user">) => Promise<StreamStart>,
): StreamHandled {
  const open = async (request: Request, params: unknown): Promise<StreamStart> => {
    const context = await contextOf(declared, request, params);
    const release = connectionCounts().claim(connectionAllowance(context.caller));
    try {
      const start = await opener(context);
      return (stream) => {
        const stop = start(stream);
        return () => {
          stop();
          release();
        };
      };
    } catch (error) {
      release();
      throw error;
    }
  };
  return {
    operation: declared as unknown as Operation,
    open,
    run: async (request, params) => sseResponse(request, await open(request, params)),
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
type RouteHandler = (request: Request, context?: RouteContext) => Promise<Response>;

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

const noParams = z.object({});

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
function serve({ operation: declared, run }: Handled): RouteHandler {
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
