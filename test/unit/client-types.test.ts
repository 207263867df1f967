import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { it } from "node:test";

it("the SDK's types are those of the current OpenAPI document (npm run client:types writes them)", async () => {
  // As the document is served by default: without the job types that exist for tests.
  process.env.ACCEPTED_TEST_JOB_TYPES = "0";
  const { generatedClientTypes } = await import("@/scripts/client-types-source");
  const committed = await readFile("client/src/openapi.ts", "utf8");
  assert.ok(committed === (await generatedClientTypes()), "client/src/openapi.ts is stale: run npm run client:types");
});
