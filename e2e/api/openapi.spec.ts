import { randomUUID } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { APIResponse } from "@playwright/test";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { expect, test } from "../support/fixtures";

// Real responses checked against the document the API serves: the contract
// and the implementation cannot drift apart unnoticed.
test("live responses match /api/openapi.json", async ({
  request,
  jobsApi,
  anonymous,
  admin,
  playwright,
  stranger,
  strangerApi,
}) => {
  test.slow();
  const documentResponse = await request.get("/api/openapi.json");
  expect(documentResponse.status()).toBe(200);
  const document = await documentResponse.json();
  expect(document.openapi).toBe("3.1.0");

  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, "openapi");
  const schemaFor = (path: string, method: string, status: string, mediaType: string) => {
    const content = document.paths[path][method].responses[status].content[mediaType];
    const ref = `openapi#/paths/${path.replaceAll("/", "~1")}/${method}/responses/${status}/content/${mediaType.replaceAll("/", "~1")}/schema`;
    expect(content, `${method} ${path} ${status} ${mediaType} is documented`).toBeDefined();
    return ajv.getSchema(ref);
  };
  const check = async (response: APIResponse, path: string, method: string) => {
    const status = String(response.status());
    const mediaType = (response.headers()["content-type"] ?? "").split(";")[0] as string;
    const validate = schemaFor(path, method, status, mediaType);
    const body = await response.json();
    expect(validate?.(body), `${method.toUpperCase()} ${path} → ${status}: ${ajv.errorsText(validate?.errors)}`).toBe(
      true,
    );
  };

  const submitted = await jobsApi.submit("demo.steps", { steps: 2, stepMs: 300 });
  await check(submitted, "/api/jobs", "post");
  const job = await submitted.json();
  await check(await jobsApi.status(job.id), "/api/jobs/{id}", "get");
  await jobsApi.waitForState(job.id, ["succeeded"]);
  await check(await jobsApi.status(job.id), "/api/jobs/{id}", "get"); // 303 with its body
  await check(await jobsApi.status(job.id, { redirect: false }), "/api/jobs/{id}", "get");
  await check(await request.get("/api/jobs?limit=5"), "/api/jobs", "get");
  await check(await request.delete(`/api/jobs/${job.id}`), "/api/jobs/{id}", "delete"); // 409
  await check(await request.post(`/api/jobs/${job.id}/retry`), "/api/jobs/{id}/retry", "post"); // 409
  await check(await request.get(`/api/jobs/${randomUUID()}`, { maxRedirects: 0 }), "/api/jobs/{id}", "get"); // 404
  await check(await jobsApi.submit("demo.steps", { steps: "ten" }), "/api/jobs", "post"); // 422
  await check(await request.get("/api/jobs?limit=0"), "/api/jobs", "get"); // 422

  const failing = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0, failAtStep: 1 });
  await jobsApi.waitForState(failing.id, ["failed"], 60_000);
  await check(await jobsApi.status(failing.id), "/api/jobs/{id}", "get"); // 500 problem
  await check(await jobsApi.status(failing.id, { redirect: false }), "/api/jobs/{id}", "get");
  const cancelled = await jobsApi.submitAccepted("demo.steps", { steps: 5, stepMs: 500 });
  await check(await request.delete(`/api/jobs/${cancelled.id}`), "/api/jobs/{id}", "delete"); // 200
  await check(await anonymous.get(`/api/jobs/${cancelled.id}`), "/api/jobs/{id}", "get"); // 401

  // A job whose effect is its result: 200 on success, 404 for the result it has not got.
  const notified = await jobsApi.submitAccepted("notify.email", { to: "a@example.com", subject: "s", message: "m" });
  await jobsApi.waitForState(notified.id, ["succeeded"]);
  await check(await jobsApi.status(notified.id), "/api/jobs/{id}", "get"); // 200
  await check(await request.get(`/api/jobs/${notified.id}/result`), "/api/jobs/{id}/result", "get"); // 404

  // Expired: 410 on the monitor and the result.
  const adminApi = await playwright.request.newContext({
    baseURL: process.env.BASE_URL,
    extraHTTPHeaders: admin.headers,
  });
  expect((await adminApi.post(`/api/admin/jobs/${job.id}/expire`)).status()).toBe(200);

  // Batches: 202, 200 while running, 409 for an early result, 303 and the result once done, 422 for a bad item.
  const batchSubmitted = await request.post("/api/batches", {
    data: { jobs: [1, 2].map(() => ({ type: "demo.steps", input: { steps: 2, stepMs: 300 } })) },
  });
  await check(batchSubmitted, "/api/batches", "post");
  const batch = await batchSubmitted.json();
  await check(await request.get(`/api/batches/${batch.id}`, { maxRedirects: 0 }), "/api/batches/{id}", "get");
  await check(await request.get(`/api/batches/${batch.id}/result`), "/api/batches/{id}/result", "get"); // 409
  await expect
    .poll(async () => (await request.get(`/api/batches/${batch.id}`, { maxRedirects: 0 })).status(), {
      timeout: 30_000,
    })
    .toBe(303);
  await check(await request.get(`/api/batches/${batch.id}`, { maxRedirects: 0 }), "/api/batches/{id}", "get"); // 303
  await check(await request.get(`/api/batches/${batch.id}/result`), "/api/batches/{id}/result", "get");
  await check(await request.delete(`/api/batches/${batch.id}`), "/api/batches/{id}", "delete");
  await check(await request.get("/api/batches"), "/api/batches", "get");
  await check(
    await request.post("/api/batches", { data: { jobs: [{ type: "demo.steps", input: { steps: 0 } }] } }),
    "/api/batches",
    "post",
  ); // 422
  await check(await anonymous.get(`/api/batches/${batch.id}`), "/api/batches/{id}", "get"); // 401

  // Fair sharing: usage, queue control, caps, and a submit past the cap (429).
  await check(await request.get("/api/account/usage"), "/api/account/usage", "get");
  await check(await adminApi.get("/api/admin/job-types"), "/api/admin/job-types", "get");
  const typePath = "/api/admin/job-types/{type}";
  await check(
    await adminApi.patch("/api/admin/job-types/demo.steps", { data: { concurrencyLimit: null } }),
    typePath,
    "patch",
  );
  await check(await adminApi.patch("/api/admin/job-types/no.such", { data: { paused: true } }), typePath, "patch"); // 404
  // The stranger, capped at 0 for a moment (no new user: sign-ups are rate limited per address).
  const capPath = "/api/admin/users/{id}/job-cap";
  await check(
    await adminApi.put(`/api/admin/users/${stranger.id}/job-cap`, { data: { maxUnfinishedJobs: 0 } }),
    capPath,
    "put",
  );
  await check(
    await adminApi.put(`/api/admin/users/${randomUUID()}/job-cap`, { data: { maxUnfinishedJobs: 1 } }),
    capPath,
    "put",
  ); // 404
  await check(await strangerApi.post("/api/jobs", { data: { type: "demo.steps", input: {} } }), "/api/jobs", "post"); // 429
  await adminApi.put(`/api/admin/users/${stranger.id}/job-cap`, { data: { maxUnfinishedJobs: null } });
  await adminApi.dispose();
  await check(await jobsApi.status(job.id), "/api/jobs/{id}", "get"); // 410
  await check(await request.get(`/api/jobs/${job.id}/result`), "/api/jobs/{id}/result", "get"); // 410
});

/** The API paths the route files serve, in OpenAPI's form ([id] → {id}); catch-alls ([...x]) are not API operations. */
async function routePaths(dir = "app/api", prefix = "/api"): Promise<string[]> {
  const paths: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name === "route.ts") paths.push(prefix);
    if (entry.isDirectory() && !entry.name.startsWith("[...")) {
      const segment = entry.name.replace(/^\[(\w+)\]$/, "{$1}");
      paths.push(...(await routePaths(path.join(dir, entry.name), `${prefix}/${segment}`)));
    }
  }
  return paths;
}

// A route that exists without its operation (or an operation no route serves) fails here.
test("every method every API route serves is in /api/openapi.json, and nothing else is", async ({ anonymous }) => {
  const document = await (await anonymous.get("/api/openapi.json")).json();
  const served = await routePaths();
  expect(served.length).toBeGreaterThan(15);
  expect(Object.keys(document.paths).sort()).toEqual([...served].sort());
  for (const routePath of served) {
    const url = routePath.replace("{id}", randomUUID());
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
      const response = await anonymous.fetch(url, { method, maxRedirects: 0 });
      const documented = Boolean(document.paths[routePath]?.[method.toLowerCase()]);
      expect(response.status() !== 405, `${method} ${routePath} answers ${response.status()}`).toBe(documented);
      if (!documented) expect(response.headers().allow, `${method} ${routePath} names what it allows`).toBeTruthy();
    }
  }
});
