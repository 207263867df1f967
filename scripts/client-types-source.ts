import openapiTS, { astToString } from "openapi-typescript";
import { openApiDocument } from "@/lib/http/openapi";

/** The SDK's types as openapi-typescript makes them from the app's OpenAPI document. */
export async function generatedClientTypes(): Promise<string> {
  const document = openApiDocument();
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0]);
  return `// Generated from the OpenAPI document by \`npm run client:types\` (scripts/client-types.ts): do not edit.\n${astToString(ast)}`;
}
