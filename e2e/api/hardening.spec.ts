import { randomUUID } from "node:crypto";
import type { APIRequestContext, APIResponse } from "@playwright/test";
import { createApiUser } from "../support/api-user";
import { baseURL, countJobs, expect, test } from "../support/fixtures";
import { SseClient } from "../support/sse-client";

// One test per finding of the red-team pass (issue #13), numbered as there.

const csv = (text: string) => ({ name: "recipients.csv", mimeType: "text/csv", buffer: Buffer.from(text) });
const upload = (api: APIRequestContext, text: string) => api.post("/api/uploads", { multipart: { file: csv(text) } });

async function expectProblem(response: APIResponse, status: number, what: string) {
  expect(response.status(), `${what}: ${await response.text()}`).toBe(status);
  expect(response.headers()["content-type"], what).toContain("application/problem+json");
}

const encodeCursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

test("2. NUL bytes, lone surrogates and year 0 are 4xx problems that write nothing, never 500s", async ({
  request,
  playwright,
  admin,
  sql,
  owner,
}) => {
  const adminApi = await playwright.request.newContext({ baseURL, extraHTTPHeaders: admin.headers });
  const jobs = await countJobs(sql, owner.id, admin.id);
  const [uploadsBefore] = await sql`select count(*)::int as n from uploads where owner_id = ${owner.id}`;
  const raw = (body: string) =>
    request.post("/api/jobs", { headers: { "Content-Type": "application/json" }, data: Buffer.from(body) });
  const year0 = encodeCursor({ createdAt: "0000-01-01T00:00:00.000Z", id: randomUUID() });
  const cases: [string, Promise<APIResponse>, number][] = [
    [
      "NUL in a string input",
      raw('{"type":"notify.email","input":{"to":"a@example.com","subject":"a\\u0000b","message":"m"}}'),
      422,
    ],
    [
      "a lone surrogate in a string input",
      raw('{"type":"notify.email","input":{"to":"a@example.com","subject":"\\ud800","message":"m"}}'),
      422,
    ],
    ["NUL in a key", raw('{"type":"demo.steps","input":{"a\\u0000":1}}'), 422],
    ["?type=%00", request.get("/api/jobs?type=%00"), 422],
    ["a list cursor in year 0", request.get(`/api/jobs?cursor=${year0}`), 422],
    ["admin ?q=%00", adminApi.get("/api/admin/jobs?q=%00"), 422],
    ["admin ?owner=%00", adminApi.get("/api/admin/jobs?owner=%00"), 422],
    ["admin ?type=%00", adminApi.get("/api/admin/jobs?type=%00"), 422],
    ["admin from year 0", adminApi.get("/api/admin/jobs?from=0000-01-01T00:00:00Z"), 422],
    [
      "admin cursor in year 0",
      adminApi.get(`/api/admin/jobs?cursor=${encodeCursor({ at: "0000-01-01T00:00:00.000Z", id: randomUUID() })}`),
      422,
    ],
    ["a CSV whose header holds NUL", upload(request, "email\u0000,name\na@example.com,A\n"), 422],
    ["a CSV cell holding NUL", upload(request, "email,name\na@example.com,A\u0000\n"), 422],
    [
      "admin bulk, filter.owner NUL",
      adminApi.post("/api/admin/bulk", { data: { action: "cancel", filter: { owner: "\u0000" } } }),
      422,
    ],
    [
      "admin bulk, filter.q NUL",
      adminApi.post("/api/admin/bulk", { data: { action: "cancel", filter: { q: "\u0000" } } }),
      422,
    ],
  ];
  for (const [what, response, status] of cases) await expectProblem(await response, status, what);
  expect(await countJobs(sql, owner.id, admin.id)).toBe(jobs);
  const [uploadsAfter] = await sql`select count(*)::int as n from uploads where owner_id = ${owner.id}`;
  expect(uploadsAfter?.n).toBe(uploadsBefore?.n);
  await adminApi.dispose();
});

test("3. a misspelt or unknown field is a 422 naming its path, not silently dropped", async ({
  request,
  sql,
  owner,
}) => {
  const before = await countJobs(sql, owner.id);
  const misspelt = await request.post("/api/jobs", { data: { type: "demo.steps", input: { step: 5, stepMS: 0 } } });
  await expectProblem(misspelt, 422, "unknown input members");
  const paths = ((await misspelt.json()).errors as { path: string[]; keys?: string[] }[]).map((issue) => [
    ...issue.path,
    ...(issue.keys ?? []),
  ]);
  expect(paths).toEqual([["input", "step", "stepMS"]]);
  const topLevel = await request.post("/api/jobs", { data: { type: "demo.steps", input: {}, priority: 1 } });
  await expectProblem(topLevel, 422, "an unknown top-level member");
  expect((await topLevel.json()).errors[0].keys).toEqual(["priority"]);
  expect(await countJobs(sql, owner.id)).toBe(before);
});

test("4. a cookie-authenticated write from another origin is refused; the app's own origin and tokens are not", async ({
  owner,
  jobsApi,
  sql,
}) => {
  const failed = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0, failAtStep: 1, failingAttempts: 9 });
  await jobsApi.waitForState(failed.id, ["failed"], 60_000);
  const running = await jobsApi.submitAccepted("demo.steps", { steps: 20, stepMs: 500 });
  const asBrowser = (origin: string) => ({ Cookie: owner.cookie, Origin: origin });
  const form = new FormData();
  form.set("file", new Blob(["email\na@example.com\n"], { type: "text/csv" }), "r.csv");
  const writes = (origin: string) => [
    fetch(`${baseURL}/api/jobs`, {
      method: "POST",
      headers: { ...asBrowser(origin), "Content-Type": "application/json" },
      body: JSON.stringify({ type: "demo.steps", input: { steps: 1 } }),
    }),
    fetch(`${baseURL}/api/jobs/${failed.id}/retry`, { method: "POST", headers: asBrowser(origin) }),
    fetch(`${baseURL}/api/jobs/${running.id}`, { method: "DELETE", headers: asBrowser(origin) }),
    fetch(`${baseURL}/api/uploads`, { method: "POST", headers: asBrowser(origin), body: form }),
  ];
  const before = await countJobs(sql, owner.id);
  for (const response of await Promise.all(writes("https://evil.example"))) {
    expect(response.status, response.url).toBe(403);
    expect((await response.json()).type).toBe("/problems/cross-origin-request");
  }
  expect(await countJobs(sql, owner.id)).toBe(before);
  expect((await jobsApi.waitForState(running.id, ["running", "queued"])).state).not.toBe("cancelled");
  // A token is no ambient credential: its writes may come from anywhere.
  const withToken = await fetch(`${baseURL}/api/jobs/${running.id}`, {
    method: "DELETE",
    headers: { ...owner.headers, Origin: "https://evil.example" },
  });
  expect(withToken.status).toBe(200);
  // The app's own pages may.
  const own = await fetch(`${baseURL}/api/jobs`, {
    method: "POST",
    headers: { ...asBrowser(new URL(baseURL).origin), "Content-Type": "application/json" },
    body: JSON.stringify({ type: "demo.steps", input: { steps: 1, stepMs: 0 } }),
  });
  expect(own.status).toBe(202);
});

test("5. revocation is immediate: sign-out, a ban, a demotion, and an open stream whose token is revoked", async ({
  admin,
  playwright,
}) => {
  const user = await createApiUser(baseURL, "revoked");
  const asCookie = (cookie: string) => ({ Cookie: cookie, Origin: new URL(baseURL).origin });
  const authCall = (path: string, cookie: string, body: unknown = {}) =>
    fetch(`${baseURL}/api/auth${path}`, {
      method: "POST",
      headers: { ...asCookie(cookie), "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });

  // A copied cookie stops working the moment its session signs out.
  expect((await fetch(`${baseURL}/api/jobs`, { headers: asCookie(user.cookie) })).status).toBe(200);
  expect((await authCall("/sign-out", user.cookie)).status).toBe(200);
  expect((await fetch(`${baseURL}/api/jobs`, { headers: asCookie(user.cookie) })).status).toBe(401);

  // An open event stream ends as soon as its token is revoked.
  const other = await createApiUser(baseURL, "streamer");
  const stream = await SseClient.open(`${baseURL}/api/events`, other.headers);
  expect(stream.response.status).toBe(200);
  const keys = await (await fetch(`${baseURL}/api/auth/api-key/list`, { headers: asCookie(other.cookie) })).json();
  const keyId = (Array.isArray(keys) ? keys : keys.apiKeys)[0].id;
  expect((await authCall("/api-key/delete", other.cookie, { keyId })).status).toBe(200);
  await expect.poll(() => stream.closedByServer, { timeout: 5_000 }).toBe(true);
  expect((await fetch(`${baseURL}/api/jobs`, { headers: other.headers })).status).toBe(401);

  // A banned user's session stops at once.
  const adminSession = admin.cookie;
  expect((await fetch(`${baseURL}/api/jobs`, { headers: asCookie(other.cookie) })).status).toBe(200);
  expect((await authCall("/admin/ban-user", adminSession, { userId: other.id })).status).toBe(200);
  expect((await fetch(`${baseURL}/api/jobs`, { headers: asCookie(other.cookie) })).status).toBe(401);

  // A demoted admin reads the admin API no more, from the next request on.
  const second = await createApiUser(baseURL, "second-admin");
  expect((await authCall("/admin/set-role", adminSession, { userId: second.id, role: "admin" })).status).toBe(200);
  const secondApi = await playwright.request.newContext({ baseURL, extraHTTPHeaders: asCookie(second.cookie) });
  expect((await secondApi.get("/api/admin/overview")).status()).toBe(200);
  expect((await authCall("/admin/set-role", adminSession, { userId: second.id, role: "user" })).status).toBe(200);
  expect((await secondApi.get("/api/admin/overview")).status()).toBe(404);
  await secondApi.dispose();
});

test("6. pages and API answers carry security headers", async ({ request, anonymous }) => {
  for (const response of [
    await anonymous.get("/sign-in"),
    await request.get("/api/jobs"),
    await anonymous.get("/api/health"),
  ]) {
    const headers = response.headers();
    expect(headers["content-security-policy"], response.url()).toContain("frame-ancestors 'none'");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["strict-transport-security"]).toMatch(/^max-age=\d+/);
  }
});

test("7 and 8. the report neutralises formula cells and never shows an internal error", async ({
  request,
  jobsApi,
}) => {
  const cells = ['"=HYPERLINK(""http://evil.example"",""x"")"', "+1+1", "-2+3", "@SUM(1+1)", "ok@example.com"];
  const uploaded = await upload(request, `email\n${cells.join("\n")}\n`);
  expect(uploaded.status()).toBe(201);
  const job = await jobsApi.submitAccepted("email.bulk", {
    recipients: (await uploaded.json()).id,
    subject: "Hi",
    template: "Hello",
  });
  await jobsApi.waitForState(job.id, ["succeeded"]);
  const report = await (await request.get(`/api/jobs/${job.id}/result`)).text();
  expect(report).toContain(`'=HYPERLINK(""http://evil.example"",""x"")`);
  for (const cell of ["'+1+1", "'-2+3", "'@SUM(1+1)"]) expect(report).toContain(`,${cell},`);
  expect(report).not.toMatch(/^\d+,[=+\-@]/m);
  expect(report).not.toContain("Failed query");
});

test("9. a placeholder must name a column of the file, never an inherited property", async ({
  request,
  jobsApi,
  sql,
  owner,
}) => {
  const uploaded = await upload(request, "email,name\na@example.com,Ada\n");
  const recipients = (await uploaded.json()).id;
  const before = await countJobs(sql, owner.id);
  const response = await jobsApi.submit("email.bulk", {
    recipients,
    subject: "Hi {{name}}",
    template: "{{constructor}} {{nmae}}",
  });
  await expectProblem(response, 422, "unknown placeholders");
  const messages = ((await response.json()).errors as { path: string[]; message: string }[]).map(
    (issue) => `${issue.path.join(".")}: ${issue.message}`,
  );
  expect(messages).toEqual([
    "input.template: {{constructor}} names no column of the file (its columns: email, name).",
    "input.template: {{nmae}} names no column of the file (its columns: email, name).",
  ]);
  expect(await countJobs(sql, owner.id)).toBe(before);
});

test("10. the smaller findings", async ({ request, jobsApi, playwright, admin, owner, sql }) => {
  const adminApi = await playwright.request.newContext({ baseURL, extraHTTPHeaders: admin.headers });
  const before = await countJobs(sql, owner.id);
  await expectProblem(
    await adminApi.post("/api/admin/bulk", { data: { action: "retry", filter: { state: "bogus" } } }),
    422,
    "a bulk filter with a state that does not exist",
  );
  await adminApi.dispose();

  const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
  const done = await jobsApi.waitForState(job.id, ["succeeded"]);
  const etag = `W/"${done.version}"`;
  for (const ifNoneMatch of ["*", `W/"999999", ${etag}`, `"1", ${etag.slice(2)}`]) {
    const response = await request.get(`/api/jobs/${job.id}`, {
      headers: { "If-None-Match": ifNoneMatch },
      maxRedirects: 0,
    });
    expect(response.status(), ifNoneMatch).toBe(304);
  }
  await expectProblem(
    await request.post("/api/jobs", {
      data: { type: "demo.steps", input: {} },
      headers: { "Idempotency-Key": '"abc' },
    }),
    400,
    "an Idempotency-Key with one quote",
  );
  const form = new FormData();
  form.append("file", new Blob(["email\na@example.com\n"]), "a.csv");
  form.append("file", new Blob(["email\nb@example.com\n"]), "b.csv");
  const doubled = await fetch(`${baseURL}/api/uploads`, { method: "POST", headers: owner.headers, body: form });
  expect(doubled.status).toBe(422);
  expect(await countJobs(sql, owner.id)).toBe(before + 1);

  // Sign-up asks for a password of at least 12 characters.
  const weak = await fetch(`${baseURL}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: new URL(baseURL).origin },
    body: JSON.stringify({ email: `weak-${randomUUID().slice(0, 8)}@example.com`, password: "12345678", name: "w" }),
  });
  expect(weak.status).toBeGreaterThanOrEqual(400);
  expect(weak.status).toBeLessThan(500);
});

test("sign-up from another origin is refused by better-auth; from the app's own it is not", async () => {
  const signUp = (origin: string) =>
    fetch(`${baseURL}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: origin },
      body: JSON.stringify({
        email: `o-${randomUUID().slice(0, 8)}@example.com`,
        password: "a long passphrase",
        name: "o",
      }),
    });
  expect((await signUp("https://evil.example")).status).toBe(403);
  expect((await signUp(new URL(baseURL).origin)).status).toBe(200);
});
