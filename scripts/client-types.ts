/**
 * Writes client/src/openapi.ts: the SDK's types (every request and answer,
 * each job type's input) generated from the OpenAPI document the app serves,
 * so the SDK never restates them. `npm run client:types` after changing the
 * API; a unit test fails while the file is stale.
 */
import { writeFile } from "node:fs/promises";
import { generatedClientTypes } from "./client-types-source";

const target = "client/src/openapi.ts";
await writeFile(target, await generatedClientTypes());
console.log(`wrote ${target}`);
