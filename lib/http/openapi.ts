import { createDocument, type ZodOpenApiPathsObject } from "zod-openapi";
import { operations } from "./api";
import type { Operation } from "./route";

// Written out in the generated document's own terms: Problem is a component there.
const problemRef = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };
const unauthenticated = { description: "No session cookie or API token, or a revoked token.", content: problemRef };
const notAdmin = { description: "Not an admin (the admin API answers as if it did not exist).", content: problemRef };

function tagOf(declared: Operation): string {
  if (declared.access === "admin") return "admin";
  return declared.path.startsWith("/api/jobs") || declared.path === "/api/events" ? "jobs" : "account";
}

/** One operation as the document has it: its path and query parameters, its callers' answers and its tag added. */
function operationObject(declared: Operation) {
  const { doc } = declared;
  const responses = { ...doc.responses };
  if (declared.access !== "public") responses["401"] ??= unauthenticated;
  if (declared.access === "admin") responses["404"] ??= notAdmin;
  return {
    ...doc,
    requestParams: {
      ...doc.requestParams,
      ...(declared.params ? { path: declared.params } : {}),
      ...(declared.query ? { query: declared.query } : {}),
    },
    responses,
    tags: [tagOf(declared)],
    ...(declared.access === "public" ? { security: [] } : {}),
  };
}

/**
 * The OpenAPI 3.1 document, generated from the operations the routes serve
 * (lib/http/api/) and the zod schemas that validate their requests, so the
 * contract and the implementation cannot drift apart.
 */
export function openApiDocument() {
  const paths: ZodOpenApiPathsObject = {};
  for (const declared of operations) {
    const method = declared.method.toLowerCase() as "get" | "post" | "put" | "patch" | "delete";
    paths[declared.path] = { ...paths[declared.path], [method]: operationObject(declared) };
  }
  return createDocument({
    openapi: "3.1.0",
    security: [{ apiToken: [] }, { session: [] }],
    tags: [
      { name: "jobs", description: "Submit jobs and follow them: the asynchronous request-reply pattern." },
      { name: "account", description: "Uploads, the mailbox, and the service itself." },
      { name: "admin", description: "For admins only: every owner's jobs, bulk actions, audit, metrics." },
    ],
    components: {
      securitySchemes: {
        apiToken: {
          type: "http",
          scheme: "bearer",
          description: "An API token (acc_…) made at /settings/tokens or POST /api/auth/api-key/create.",
        },
        session: { type: "apiKey", in: "cookie", name: "better-auth.session_token", description: "A browser session." },
      },
    },
    info: {
      title: "Accepted",
      version: "0.1.0",
      description:
        "Long operations over HTTP with the asynchronous request-reply pattern: 202 Accepted, a status monitor, 303 See Other to the result.",
    },
    paths,
  });
}
