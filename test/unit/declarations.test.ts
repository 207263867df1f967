import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { UnknownJobType } from "@/lib/errors";
import { openApiDocument } from "@/lib/http/openapi";
import { jobTypes } from "@/lib/jobs/registry";
import { checkSubmission } from "@/lib/jobs/submit-checks";
import { demoSteps } from "@/lib/jobs/types/demo-steps";
import { handlersForRegistry } from "@/worker/handlers";
import { newOwner, unitDatabase } from "./support";

const { db, close } = unitDatabase();
after(close);

describe("job types", () => {
  it("each declared type has a handler of its own, written against that very declaration", () => {
    const handlers = handlersForRegistry();
    assert.equal(new Set(handlers).size, jobTypes.length, "a handler per type, none shared");
    // The same object, not a look-alike: the handler's input and result types follow from this declaration.
    for (const [index, jobType] of jobTypes.entries()) assert.equal(handlers[index]?.jobType, jobType, jobType.type);
  });
  it("a declared type without a handler stops the worker", () => {
    assert.throws(() => handlersForRegistry([{ ...demoSteps, type: "nobody.runs.this" }]), /needs exactly one/);
  });
  it("an internal type (an admin action) cannot be submitted through the API, and is not offered", async () => {
    const internal = jobTypes.filter((jobType) => jobType.internal);
    assert.ok(internal.length > 0, "the registry has internal types to check");
    for (const jobType of internal) {
      await assert.rejects(checkSubmission(db, { type: jobType.type, input: {} }, newOwner()), (error) => {
        assert.ok(error instanceof UnknownJobType);
        assert.ok(!error.knownTypes.includes(jobType.type), "the refusal does not list it");
        assert.ok(error.knownTypes.includes(demoSteps.type));
        return true;
      });
    }
    const offered = JSON.stringify(openApiDocument());
    for (const jobType of internal) assert.ok(!offered.includes(`"${jobType.type}"`), `${jobType.type} is not offered`);
    assert.ok(offered.includes(`"${demoSteps.type}"`), "a submittable type is");
  });
});

/** The API paths the route files on disk serve, from their folders (`[id]` → `{id}`), catch-alls left out. */
function routeFilePaths(dir = "app/api"): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith("[...")) found.push(...routeFilePaths(child));
    else if (entry.name === "route.ts") found.push(`/${dir.replace(/^app\//, "").replace(/\[(\w+)\]/g, "{$1}")}`);
  }
  return found.sort();
}

describe("the OpenAPI document", () => {
  it("documents exactly the paths the route files serve, each with a 401 unless public", () => {
    const document = openApiDocument();
    const documented = Object.keys(document.paths ?? {}).sort();
    const served = routeFilePaths();
    assert.ok(served.includes("/api/jobs/{id}"), "the route files were found");
    assert.deepEqual(documented, served);
    const open = ["/api/health", "/api/health/live", "/api/health/ready", "/api/openapi.json"];
    for (const [route, methods] of Object.entries(document.paths ?? {})) {
      for (const [method, described] of Object.entries(methods ?? {})) {
        const responses = (described as { responses?: Record<string, unknown> }).responses ?? {};
        assert.equal(Boolean(responses["401"]), !open.includes(route), `${method} ${route}: 401`);
      }
    }
  });
});
