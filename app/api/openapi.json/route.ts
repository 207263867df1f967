import { system } from "@/lib/http/api";
import { openApiDocument } from "@/lib/http/openapi";
import { apiRoute, handle } from "@/lib/http/route";

const document = openApiDocument();

/** The OpenAPI 3.1 description of this API. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(system.openApiJson, async () =>
    Response.json(document, { headers: { "Cache-Control": "public, max-age=300" } }),
  ),
);
