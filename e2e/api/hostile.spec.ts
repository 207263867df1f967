import fc from "fast-check";
import { WebSocket } from "ws";
import { jobStates } from "@/lib/jobs/states";
import { baseURL, countJobs, expect, test } from "../support/fixtures";

interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  /** Built as FormData: no file part, two of them, or one file with this name and content. */
  multipart?: "no-file" | "two-files" | { filename: string; content: string };
}

function formOf(shape: NonNullable<HostileRequest["multipart"]>): FormData {
  const form = new FormData();
  if (shape === "no-file") form.set("note", "hello");
  else if (shape === "two-files") {
    form.append("file", new Blob(["email\na@example.com\n"]), "a.csv");
    form.append("file", new Blob(["email\nb@example.com\n"]), "b.csv");
  } else form.set("file", new Blob([shape.content]), shape.filename);
  return form;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

const nasty = fc.constantFrom(
  "'; drop table jobs; --",
  '" or 1=1 --',
  "\u0000\u0001\u0002\u001b[31m",
  "../../etc/passwd",
  "%00%ff",
  "<script>alert(1)</script>",
  "\ud800",
  "🧨".repeat(50),
);
// What PostgreSQL cannot store, hidden inside otherwise plausible text.
const unstorable = fc
  .tuple(
    fc.string({ maxLength: 10 }),
    fc.constantFrom("\u0000", "\ud800", "\udfff", "a\udc00b", "\u0000\u0000"),
    fc.string({ maxLength: 10 }),
  )
  .map(([before, bad, after]) => `${before}${bad}${after}`);
const withNul = fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([a, b]) => `${a}\u0000${b}`);
const extremeDate = fc.constantFrom(
  "0000-01-01T00:00:00Z",
  "0000-01-01T00:00:00.000Z",
  "9999-12-31T23:59:59.999Z",
  "-000001-01-01T00:00:00Z",
  "+275760-09-13T00:00:00Z",
  "2026-02-30T00:00:00Z",
  "1970-01-01T00:00:00+99:99",
);
// Limits no list accepts (1 to 100, or 200 for admins): each of these is out of range or not an integer.
const extremeNumber = fc.constantFrom("1e308", "-1e308", "NaN", "Infinity", "-0", "9".repeat(400), "1.5", "0");
const hugeString = fc.integer({ min: 70_000, max: 200_000 }).map((n) => "x".repeat(n));
const hugeNumber = fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 1e-320);
// Numbers that are not whole (NaN and infinities would be null in JSON, which means "no limit").
const fraction = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n));
const junk = fc.oneof(fc.jsonValue(), nasty, hugeNumber, unstorable);

// Inputs that no job type accepts: demo.steps' steps is always out of range
// or of the wrong type; jobs.export's state is never a state.
const badSteps = fc.oneof(
  fc.integer({ min: 101 }),
  fc.integer({ max: 0 }),
  fc.double({ noInteger: true, noNaN: true }),
  fc.string(),
  fc.constant(null),
  fc.array(fc.integer()),
  nasty,
);
const invalidSubmission = fc.oneof(
  fc.record({ type: fc.constant("demo.steps"), input: fc.record({ steps: badSteps, stepMs: junk }) }),
  fc.record({
    type: fc.constant("jobs.export"),
    input: fc.record({ state: fc.string().filter((s) => !(jobStates as readonly string[]).includes(s)) }),
  }),
  fc.record({ type: fc.oneof(fc.string(), nasty, fc.integer(), fc.constant(null)), input: junk }),
  fc.record({ type: fc.constant("demo.steps"), input: fc.oneof(fc.string(), fc.integer(), fc.array(junk)) }),
  fc.record({
    __proto__: fc.record({ type: fc.constant("demo.steps") }),
    type: fc.constant("demo.steps"),
    input: fc.constant({ steps: 0 }),
  }),
  fc.jsonValue().filter((value) => typeof value !== "object" || value === null || Array.isArray(value)),
  // Valid but for one unknown member, in the input or beside it.
  fc
    .tuple(
      fc
        .string({ minLength: 1, maxLength: 20 })
        .filter((key) => !["steps", "stepMs", "failAtStep", "failingAttempts"].includes(key)),
      junk,
    )
    .map(([key, value]) => ({ type: "demo.steps", input: { steps: 1, stepMs: 0, [key]: value } })),
  fc
    .tuple(
      fc.string({ minLength: 1, maxLength: 20 }).filter((key) => !["type", "input"].includes(key)),
      junk,
    )
    .map(([key, value]) => ({ type: "demo.steps", input: { steps: 1, stepMs: 0 }, [key]: value })),
  // Valid but for text PostgreSQL cannot store, as a value or as a key.
  unstorable.map((text) => ({ type: "notify.email", input: { to: "a@example.com", subject: text, message: "m" } })),
  unstorable.map((text) => ({ type: "demo.steps", input: { [text]: 1 } })),
);
// A submission valid but for a member that would reach an object's prototype, at some depth: beside the
// input, in it, or inside a member of it (written as text: an object literal would set the prototype instead).
const prototypeMember = fc
  .tuple(
    fc.constantFrom("__proto__", "constructor", "prototype"),
    fc.integer({ min: 0, max: 3 }),
    fc.jsonValue({ maxDepth: 2 }),
  )
  .map(([key, depth, value]) => {
    const member = `${JSON.stringify(key)}: ${JSON.stringify(value)}`;
    if (depth === 0) return `{"type": "demo.steps", "input": {"steps": 1, "stepMs": 0}, ${member}}`;
    if (depth === 1) return `{"type": "demo.steps", "input": {"steps": 1, "stepMs": 0, ${member}}}`;
    const nested = `{${member}}`;
    return `{"type": "demo.steps", "input": {"steps": 1, "stepMs": 0, "x": ${depth === 2 ? nested : `[${nested}]`}}}`;
  });
const deepNesting = fc.integer({ min: 500, max: 20_000 }).map((depth) => `${"[".repeat(depth)}${"]".repeat(depth)}`);
const body = fc.oneof(
  { weight: 5, arbitrary: invalidSubmission.map((value) => utf8(JSON.stringify(value))) },
  { weight: 2, arbitrary: fc.string().map(utf8) },
  { weight: 1, arbitrary: deepNesting.map(utf8) },
  { weight: 1, arbitrary: prototypeMember.map(utf8) },
  { weight: 1, arbitrary: hugeString.map((s) => utf8(JSON.stringify({ type: "demo.steps", input: { s } }))) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }) },
  {
    weight: 1,
    arbitrary: fc.constant(utf8('{"type": "demo.steps", "input": {"__proto__": {"steps": 5}, "steps": -1}}')),
  },
);
const contentType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "application/merge-patch+json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "",
);
const badId = fc.oneof(
  fc.uuid(),
  // "." and ".." are not ids but dot-segments: the client resolves them away before sending (/api/jobs/. is the
  // list's URL with a trailing slash, which Next.js redirects to its canonical form with a 308).
  fc.string({ minLength: 1 }).filter((id) => id !== "." && id !== ".."),
  nasty,
  fc.constant("00000000-0000-0000-0000-000000000000"),
);
const headerJunk = fc.stringMatching(/^[\x20-\x7e]{0,300}$/);

const hostileRequest: fc.Arbitrary<HostileRequest> = fc.oneof(
  fc.record({
    method: fc.constant("POST"),
    path: fc.constant("/api/jobs"),
    headers: fc.record(
      {
        "content-type": contentType,
        "idempotency-key": headerJunk,
        prefer: fc.oneof(headerJunk, fc.constantFrom("wait=-1", "wait=1.5", "wait=", "respond-async, wait=x")),
      },
      { requiredKeys: ["content-type"] },
    ),
    body,
  }),
  fc.record({
    method: fc.constantFrom("PUT", "PATCH", "DELETE"),
    path: fc.constant("/api/jobs"),
    headers: fc.constant({ "content-type": "application/json" }),
    body,
  }),
  fc.record({
    method: fc.constantFrom("GET", "DELETE", "PUT", "PATCH", "POST"),
    path: fc
      .tuple(badId, fc.constantFrom("", "/result", "/retry", "/events", "/webhook-deliveries", "/tokens", "/logs"))
      // A URL cannot carry a lone surrogate; it becomes U+FFFD.
      .map(([id, suffix]) => `/api/jobs/${encodeURIComponent(id.replace(/[\ud800-\udfff]/g, "\ufffd"))}${suffix}`),
    headers: fc.record({
      "if-none-match": headerJunk,
      prefer: fc.constantFrom("wait=abc", "wait=999999", "wait=-1", ""),
    }),
  }),
  fc.record({
    method: fc.constant("GET"),
    path: fc
      .record({
        state: fc.oneof(fc.string(), nasty),
        limit: fc.oneof(fc.string(), fc.integer({ min: 101 }), fc.integer({ max: 0 })),
        cursor: fc.string(),
      })
      .map((query) => `/api/jobs?${new URLSearchParams(query as Record<string, string>)}`),
    headers: fc.constant({}),
  }),
  fc.record({
    method: fc.constant("GET"),
    path: fc
      .record({
        q: fc.oneof(fc.string(), nasty, fc.constant("& | ! <-> :*")),
        from: fc.oneof(fc.string(), fc.constant("2026-13-45T99:99:99Z")),
        sort: fc.oneof(fc.string(), nasty),
        owner: fc.oneof(fc.string(), nasty),
      })
      .map((query) => `/api/admin/jobs?${new URLSearchParams(query as Record<string, string>)}`),
    headers: fc.constant({}),
  }),
  fc.record({
    method: fc.constant("POST"),
    path: fc.constant("/api/admin/bulk"),
    headers: fc.record({ "content-type": contentType }),
    body: fc.oneof(
      body,
      fc
        .record({
          action: fc.oneof(fc.constantFrom("retry", "cancel"), fc.string()),
          filter: fc.record(
            {
              state: fc.oneof(fc.string(), unstorable),
              owner: unstorable,
              q: unstorable,
              from: extremeDate,
              extra: junk,
            },
            { requiredKeys: [] },
          ),
        })
        .map((value) => utf8(JSON.stringify(value))),
    ),
  }),
  // List and admin queries: NULs, extreme dates and numbers, cursors that name year 0.
  fc.record({
    method: fc.constant("GET"),
    path: fc
      .record(
        {
          type: fc.oneof(unstorable, fc.string()),
          state: fc.oneof(unstorable, fc.string()),
          limit: extremeNumber,
          cursor: fc.oneof(
            extremeDate.map((at) =>
              Buffer.from(JSON.stringify({ createdAt: at, at, id: crypto.randomUUID() })).toString("base64url"),
            ),
            unstorable,
          ),
          from: extremeDate,
          to: extremeDate,
          q: unstorable,
          owner: unstorable,
        },
        // The bad limit is always there, so no request of this kind is a valid read.
        { requiredKeys: ["limit"] },
      )
      .chain((query) =>
        fc
          .constantFrom("/api/jobs", "/api/admin/jobs")
          .map((route) => `${route}?${new URLSearchParams(query as Record<string, string>)}`),
      )
      .filter((path) => path.includes("?") && !path.endsWith("?")),
    headers: fc.constant({}),
  }),
  // Uploads: multipart shapes a browser would not send.
  fc.record({
    method: fc.constant("POST"),
    path: fc.constant("/api/uploads"),
    headers: fc.constant({}),
    multipart: fc.oneof(
      fc.constant("no-file" as const),
      fc.constant("two-files" as const),
      // FormData turns a lone surrogate into U+FFFD on the wire, so only a NUL survives to the server.
      withNul.map((name) => ({ filename: name, content: "email\na@example.com\n" })),
      fc
        .oneof(
          withNul.map((text) => `email\n${text}\n`),
          fc.constantFrom("name\nAda\n", "", "\ufeff", "email\n", '"email\na@example.com'),
        )
        .map((content) => ({ filename: "r.csv", content })),
    ),
  }),
  fc.record({
    method: fc.constant("POST"),
    path: fc.constant("/api/uploads"),
    headers: fc.record({
      "content-type": fc.constantFrom(
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=abc",
        'multipart/form-data; boundary="x"; charset=utf-16',
        "multipart/mixed; boundary=x",
      ),
    }),
    body: fc.oneof(
      fc.uint8Array({ maxLength: 256 }),
      fc.constant(
        utf8('--abc\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nemail\u0000\r\n--abc--'),
      ),
      fc.constant(utf8("--abc\r\nContent-Disposition: form-data\r\n\r\nx\r\n")),
    ),
  }),
  // The admin API's job routes, each method, with an id that names no job.
  fc.record({
    method: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE"),
    path: fc
      .tuple(fc.constantFrom("/api/admin/jobs/ID", "/api/admin/jobs/ID/expire"), badId)
      .map(([path, id]) => path.replace("ID", encodeURIComponent(id.replace(/[\ud800-\udfff]/g, "\ufffd")))),
    headers: fc.constant({ "content-type": "application/json" }),
    body: fc.option(body, { nil: undefined }),
  }),
  // Batches: items that are not all valid, bodies that are not a batch, and batches that do not exist.
  fc.record({
    method: fc.constant("POST"),
    path: fc.constant("/api/batches"),
    headers: fc.record({ "content-type": contentType }),
    body: fc.oneof(
      body,
      fc
        .array(invalidSubmission, { minLength: 1, maxLength: 5 })
        .map((jobs) => utf8(JSON.stringify({ jobs: [{ type: "demo.steps", input: { steps: 1 } }, ...jobs] }))),
      fc.constant(utf8(JSON.stringify({ jobs: [] }))),
    ),
  }),
  fc.record({
    method: fc.constantFrom("GET", "DELETE", "PUT"),
    path: fc
      .tuple(badId, fc.constantFrom("", "/result", "/events"))
      .map(([id, suffix]) => `/api/batches/${encodeURIComponent(id.replace(/[\ud800-\udfff]/g, "\ufffd"))}${suffix}`),
    headers: fc.constant({}),
  }),
  // Schedules: bodies that are not a schedule (a cron that never fires, a zone that is not one), ids that name none.
  fc.record({
    method: fc.constant("POST"),
    path: fc.constant("/api/schedules"),
    headers: fc.record({ "content-type": contentType }),
    body: fc.oneof(
      body,
      fc
        .record({
          type: fc.oneof(fc.constant("demo.steps"), fc.string(), unstorable),
          input: fc.oneof(fc.constant({ steps: 1 }), junk),
          cron: fc.oneof(
            fc.constantFrom("0 0 30 2 *", "61 * * * *", "* * *", "0 0 0 1 1 * 1999"),
            fc.string(),
            unstorable,
          ),
          timezone: fc.oneof(fc.constantFrom("Mars/Olympus", "+01:00", "UTC\u0000"), fc.string(), unstorable),
        })
        // Every one is bad somewhere: a cron that never fires, whatever else is right.
        .map((value) => utf8(JSON.stringify({ ...value, cron: `${value.cron} 30 2` }))),
    ),
  }),
  fc.record({
    method: fc.constantFrom("GET", "PATCH", "DELETE", "PUT", "POST"),
    path: fc
      .tuple(badId, fc.constantFrom("", "/runs"))
      .map(([id, suffix]) => `/api/schedules/${encodeURIComponent(id.replace(/[\ud800-\udfff]/g, "\ufffd"))}${suffix}`),
    headers: fc.constant({ "content-type": "application/json" }),
    body: fc.option(body, { nil: undefined }),
  }),
  // Queue control: a type or a user that does not exist, or a body that is not a change.
  fc.record({
    method: fc.constant("PATCH"),
    path: fc
      .oneof(fc.constantFrom("demo.steps", "test.record"), badId)
      .map((type) => `/api/admin/job-types/${encodeURIComponent(type.replace(/[\ud800-\udfff]/g, "\ufffd"))}`),
    headers: fc.record({ "content-type": contentType }),
    body: fc.oneof(
      body,
      fc
        .record(
          {
            paused: fc.oneof(fc.string(), fc.integer(), unstorable),
            concurrencyLimit: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 1_001 }), fraction, fc.string()),
            extra: junk,
          },
          { requiredKeys: [] },
        )
        .map((value) => utf8(JSON.stringify(value))),
    ),
  }),
  fc.record({
    method: fc.constantFrom("PUT", "GET", "POST", "PATCH", "DELETE"),
    path: badId.map((id) => `/api/admin/users/${encodeURIComponent(id.replace(/[\ud800-\udfff]/g, "\ufffd"))}/job-cap`),
    headers: fc.constant({ "content-type": "application/json" }),
    body: fc.option(
      fc.oneof(
        body,
        fc
          .record({ maxUnfinishedJobs: fc.oneof(fc.integer({ max: -1 }), fraction, fc.string(), unstorable) })
          .map((value) => utf8(JSON.stringify(value))),
      ),
      { nil: undefined },
    ),
  }),
  // Webhook endpoints: junk to create or change one, and ids that name none.
  fc.record({
    method: fc.constantFrom("POST", "PUT", "DELETE"),
    path: fc.constant("/api/webhooks"),
    headers: fc.record({ "content-type": contentType }),
    body,
  }),
  fc.record({
    method: fc.constantFrom("GET", "DELETE", "PATCH", "POST"),
    path: fc
      .tuple(badId, fc.constantFrom("", "/secret", "/test", "/deliveries", "/deliveries/x/redeliver"))
      .map(([id, suffix]) => `/api/webhooks/${encodeURIComponent(id.replace(/[\ud800-\udfff]/g, "\ufffd"))}${suffix}`),
    headers: fc.record({ "content-type": contentType }),
    body: fc.option(body, { nil: undefined }),
  }),
  fc.record({
    method: fc.constant("GET"),
    path: fc
      // An unknown parameter always: alone, a valid state would be an ordinary 200.
      .record({ x: fc.string(), state: fc.oneof(fc.string(), unstorable) }, { requiredKeys: ["x"] })
      .map((query) => `/api/admin/webhook-deliveries?${new URLSearchParams(query as Record<string, string>)}`),
    headers: fc.constant({}),
    body: fc.constant(undefined),
  }),
  // Every other route, with a method it does not have, or a body it does not take.
  fc.record({
    method: fc.constantFrom("POST", "PUT", "PATCH", "DELETE"),
    path: fc.constantFrom(
      "/api/admin/overview",
      "/api/admin/audit",
      "/api/admin/job-types",
      "/api/account/usage",
      "/api/admin/jobs",
      "/api/mailbox",
      "/api/metrics",
      "/api/openapi.json",
      "/api/health",
      "/api/health/live",
      "/api/health/ready",
      "/api/events",
    ),
    headers: fc.constant({ "content-type": "application/json" }),
    body: fc.option(body, { nil: undefined }),
  }),
  // better-auth's own forms: junk that no sign-up or sign-in accepts (a password too short, or not text).
  fc.record({
    method: fc.constant("POST"),
    path: fc.constantFrom("/api/auth/sign-up/email", "/api/auth/sign-in/email"),
    headers: fc.record({ "content-type": contentType }),
    body: fc
      .record({
        email: fc.oneof(fc.emailAddress(), unstorable, fc.string()),
        password: fc.oneof(
          fc.string({ maxLength: 11 }),
          unstorable.filter((text) => text.length < 12),
          fc.integer(),
          fc.constant(null),
        ),
        name: junk,
        extra: junk,
      })
      .map((value) => utf8(JSON.stringify(value))),
  }),
);

/** Who sends it: mostly the owner (so requests reach validation), sometimes an admin, nobody, or a forged token. */
const credentials = fc.oneof(
  { weight: 6, arbitrary: fc.constant("owner" as const) },
  { weight: 2, arbitrary: fc.constant("admin" as const) },
  { weight: 1, arbitrary: fc.constant("none" as const) },
  { weight: 1, arbitrary: fc.constant("cookie from another origin" as const) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("Bearer acc_forged0000000000000000000000000000", "Bearer", "Basic Zm9vOmJhcg=="),
  },
);

test("1,000 generated hostile requests across every route each get a 4xx problem and write nothing", async ({
  sql,
  owner,
  admin,
}) => {
  test.setTimeout(300_000);
  const rowCounts = async () =>
    (
      await sql`select (select count(*) from jobs) as jobs, (select count(*) from uploads) as uploads,
        (select count(*) from users) as users, (select count(*) from idempotency_keys) as keys,
        (select count(*) from webhook_endpoints) as webhook_endpoints,
        (select count(*) from job_read_tokens) as job_tokens, (select count(*) from schedules) as schedules`
    )[0];
  const before = await rowCounts();
  const statuses = new Map<number, number>();
  let tried = 0;

  await fc.assert(
    fc.asyncProperty(hostileRequest, credentials, async (request, sender) => {
      tried++;
      const authorization: Record<string, string> =
        sender === "owner"
          ? owner.headers
          : sender === "admin"
            ? admin.headers
            : sender === "none"
              ? {}
              : sender === "cookie from another origin"
                ? { Cookie: owner.cookie, Origin: "https://evil.example" }
                : { Authorization: sender };
      const response = await fetch(`${baseURL}${request.path}`, {
        method: request.method,
        headers: { ...request.headers, ...authorization },
        body:
          request.method === "GET"
            ? undefined
            : request.multipart
              ? formOf(request.multipart)
              : request.body
                ? Buffer.from(request.body)
                : undefined,
        redirect: "manual",
      });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const text = await response.text();
      const where = `${sender.slice(0, 12)} ${request.method} ${request.path.slice(0, 120)} → ${response.status} ${text.slice(0, 200)}`;
      expect(response.status, where).toBeGreaterThanOrEqual(400);
      expect(response.status, where).toBeLessThan(500);
      // better-auth answers its own forms in its own JSON; every answer of ours is problem details.
      if (request.path.startsWith("/api/auth/")) return;
      expect(response.headers.get("content-type"), where).toContain("application/problem+json");
      const problem = JSON.parse(text);
      expect(problem.status, where).toBe(response.status);
      expect(typeof problem.type, where).toBe("string");
      expect(typeof problem.title, where).toBe("string");
    }),
    { numRuns: 1_000, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
  );

  expect(await rowCounts()).toEqual(before);
  console.log(
    `hostile requests: ${tried} tried; status codes ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
  );
});

// Every API route, its dynamic segments as {…}; the test below spoils each segment in turn.
const ROUTE_TEMPLATES = [
  "/api/jobs/{id}",
  "/api/jobs/{id}/events",
  "/api/jobs/{id}/result",
  "/api/jobs/{id}/retry",
  "/api/jobs/{id}/tokens",
  "/api/jobs/{id}/webhook-deliveries",
  "/api/batches/{id}",
  "/api/batches/{id}/events",
  "/api/batches/{id}/result",
  "/api/webhooks/{id}",
  "/api/webhooks/{id}/secret",
  "/api/webhooks/{id}/test",
  "/api/webhooks/{id}/deliveries",
  "/api/webhooks/{id}/deliveries/{deliveryId}/redeliver",
  "/api/admin/jobs/{id}",
  "/api/admin/jobs/{id}/expire",
  "/api/admin/users/{id}/job-cap",
  "/api/admin/job-types/{type}",
  "/api/{path}",
];
// Not UTF-8 once decoded: a lone byte, a surrogate, an overlong NUL, a truncated sequence, a stray %.
const MALFORMED_ENCODINGS = ["%ff", "%ED%A0%80", "%c0%80", "%E0%A4%A", "%", "a%zz"];

test("a path segment whose percent-encoding is malformed is a 400 problem on every route and method", async ({
  sql,
  owner,
}) => {
  test.setTimeout(120_000);
  const before = await countJobs(sql, owner.id);
  const failures: string[] = [];
  for (const template of ROUTE_TEMPLATES) {
    const segments = template.split("/");
    // Each segment after /api in turn, the others left as a plausible id.
    for (let spoiled = 2; spoiled < segments.length; spoiled++) {
      for (const encoding of MALFORMED_ENCODINGS) {
        const path = segments
          .map((segment, index) =>
            index === spoiled ? encoding : segment.startsWith("{") ? "00000000-0000-4000-8000-000000000000" : segment,
          )
          .join("/");
        for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
          for (const headers of [{}, owner.headers]) {
            const response = await fetch(`${baseURL}${path}`, { method, headers, redirect: "manual" });
            const text = await response.text();
            const type = response.headers.get("content-type") ?? "";
            if (response.status !== 400 || !type.includes("application/problem+json")) {
              failures.push(`${method} ${path} → ${response.status} ${type} ${text.slice(0, 80)}`);
            }
          }
        }
      }
    }
  }
  // A WebSocket upgrade of such a path is refused as well.
  const refusal = await new Promise<number>((resolve, reject) => {
    const socket = new WebSocket(`${baseURL.replace(/^http/, "ws")}/api/events%ff`, { headers: owner.headers });
    socket.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
    socket.once("open", () => reject(new Error("the upgrade was accepted")));
    socket.once("error", () => {});
  });
  expect(refusal).toBe(400);
  expect(failures.slice(0, 20), `${failures.length} answers were not a 400 problem`).toEqual([]);
  expect(await countJobs(sql, owner.id)).toBe(before);
});

test("floods of job-token connections, uploads and WebSocket messages get 4xx answers and close codes, never a 5xx", async ({
  owner,
}) => {
  test.setTimeout(60_000);
  const post = (path: string, body: unknown) =>
    fetch(`${baseURL}${path}`, {
      method: "POST",
      headers: { ...owner.headers, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  // Long enough that its streams stay open (a stream ends with its job).
  const job = (await (await post("/api/jobs", { type: "demo.steps", input: { steps: 3, stepMs: 5_000 } })).json()) as {
    id: string;
  };
  const { token } = (await (await post(`/api/jobs/${job.id}/tokens`, {})).json()) as { token: string };
  const wsUrl = `${baseURL.replace(/^http/, "ws")}/api/events`;
  // Forty streams and forty sockets on one job token at once.
  const streams = await Promise.all(
    Array.from({ length: 40 }, () => fetch(`${baseURL}/api/jobs/${job.id}/events?access_token=${token}`)),
  );
  for (const stream of streams) void stream.body?.cancel();
  const closes = await Promise.all(
    Array.from(
      { length: 40 },
      () =>
        new Promise<number>((resolve) => {
          const socket = new WebSocket(`${wsUrl}?access_token=${token}`);
          socket.on("message", () => socket.close(1000));
          socket.on("close", (code) => resolve(code));
          socket.on("error", () => {});
        }),
    ),
  );
  // Twenty uploads at once from one user.
  const uploads = await Promise.all(
    Array.from({ length: 20 }, () => {
      const form = new FormData();
      form.set("file", new Blob(["email\na@example.com\n"]), "r.csv");
      return fetch(`${baseURL}/api/uploads`, { method: "POST", headers: owner.headers, body: form });
    }),
  );
  // One socket sending fifty subscriptions of a thousand made-up ids.
  const flooded = await new Promise<{ code: number; types: Set<string> }>((resolve) => {
    const types = new Set<string>();
    const socket = new WebSocket(wsUrl, { headers: owner.headers });
    socket.on("open", () => {
      for (let i = 0; i < 50; i++) {
        const jobs = Object.fromEntries(Array.from({ length: 1_000 }, () => [crypto.randomUUID(), 0]));
        socket.send(JSON.stringify({ type: "subscribe", jobs }));
      }
    });
    socket.on("message", (data) => types.add(JSON.parse(String(data)).type));
    socket.on("close", (code) => resolve({ code, types }));
    socket.on("error", () => {});
  });

  const statuses = [...streams, ...uploads].map((response) => response.status);
  expect(statuses.filter((status) => status >= 500)).toEqual([]);
  // A token's own allowance (10) lets some in, and refuses the rest as the cap it is.
  expect(streams.filter((stream) => stream.status === 200).length).toBeLessThanOrEqual(10);
  expect(streams.every((stream) => stream.status === 200 || stream.status === 429)).toBe(true);
  expect(closes.every((code) => code === 1000 || code === 4429)).toBe(true);
  expect(closes).toContain(4429);
  expect(uploads.every((upload) => upload.status === 201 || upload.status === 429)).toBe(true);
  expect(flooded.code).toBe(1008);
  expect([...flooded.types].every((type) => ["ready", "not-found", "error"].includes(type))).toBe(true);
});
