import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { operations } from "@/lib/http/api";
import { openApiDocument } from "@/lib/http/openapi";
import { jobTypes, submittableJobTypes } from "@/lib/jobs/registry";
import { demoSteps } from "@/lib/jobs/types/demo-steps";
import { handlersForRegistry } from "@/worker/handlers";

describe("job types", () => {
  it("each declared type has exactly one handler, in the registry's order", () => {
    assert.deepEqual(
      handlersForRegistry().map((handler) => handler.jobType.type),
      jobTypes.map((jobType) => jobType.type),
    );
  });
  it("a declared type without a handler stops the worker", () => {
    assert.throws(() => handlersForRegistry([{ ...demoSteps, type: "nobody.runs.this" }]), /needs exactly one/);
  });
  it("internal types are not offered to clients", () => {
    assert.ok(jobTypes.some((jobType) => jobType.internal));
    assert.ok(submittableJobTypes.every((jobType) => !jobType.internal));
  });
});

describe("the OpenAPI document", () => {
  it("has every declared operation, with a 401 unless public", () => {
    const document = openApiDocument();
    for (const declared of operations) {
      const method = declared.method.toLowerCase() as "get";
      const described = document.paths?.[declared.path]?.[method];
      assert.ok(described, `${declared.method} ${declared.path} is documented`);
      assert.equal(Boolean(described.responses?.["401"]), declared.access !== "public", `${declared.path} 401`);
    }
  });
});
