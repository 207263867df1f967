import { openApiDocument } from "@/lib/http/openapi";
import { methodNotAllowed } from "@/lib/http/route";

const document = openApiDocument();

/** The OpenAPI 3.1 description of this API. */
export async function GET(): Promise<Response> {
  return Response.json(document, { headers: { "Cache-Control": "public, max-age=300" } });
}

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
