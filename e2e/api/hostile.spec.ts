import fc from "fast-check";
import { jobStates } from "@/lib/jobs/states";
import { baseURL, countJobs, expect, test } from "../support/fixtures";

interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
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
const hugeString = fc.integer({ min: 70_000, max: 200_000 }).map((n) => "x".repeat(n));
const hugeNumber = fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 1e-320);
const junk = fc.oneof(fc.jsonValue(), nasty, hugeNumber);

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
);
const deepNesting = fc.integer({ min: 500, max: 20_000 }).map((depth) => `${"[".repeat(depth)}${"]".repeat(depth)}`);
const body = fc.oneof(
  { weight: 5, arbitrary: invalidSubmission.map((value) => utf8(JSON.stringify(value))) },
  { weight: 2, arbitrary: fc.string().map(utf8) },
  { weight: 1, arbitrary: deepNesting.map(utf8) },
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
  fc.string({ minLength: 1 }),
  nasty,
  fc.constant("00000000-0000-0000-0000-000000000000"),
);
const headerJunk = fc.stringMatching(/^[\x20-\x7e]{0,300}$/);

const hostileRequest: fc.Arbitrary<HostileRequest> = fc.oneof(
  fc.record({
    method: fc.constant("POST"),
    path: fc.constant("/api/jobs"),
    headers: fc.record(
      { "content-type": contentType, "idempotency-key": headerJunk },
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
      .tuple(badId, fc.constantFrom("", "/result", "/retry", "/events"))
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
    body,
  }),
);

/** Who sends it: mostly the owner (so requests reach validation), sometimes an admin, nobody, or a forged token. */
const credentials = fc.oneof(
  { weight: 6, arbitrary: fc.constant("owner" as const) },
  { weight: 2, arbitrary: fc.constant("admin" as const) },
  { weight: 1, arbitrary: fc.constant("none" as const) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("Bearer acc_forged0000000000000000000000000000", "Bearer", "Basic Zm9vOmJhcg=="),
  },
);

test("200+ generated hostile requests each get a 4xx problem response and write nothing", async ({
  sql,
  owner,
  admin,
}) => {
  test.setTimeout(180_000);
  const before = await countJobs(sql);
  const statuses = new Map<number, number>();
  let tried = 0;

  await fc.assert(
    fc.asyncProperty(hostileRequest, credentials, async (request, sender) => {
      tried++;
      const authorization =
        sender === "owner"
          ? owner.headers
          : sender === "admin"
            ? admin.headers
            : sender === "none"
              ? {}
              : { Authorization: sender };
      const response = await fetch(`${baseURL}${request.path}`, {
        method: request.method,
        headers: { ...request.headers, ...authorization },
        body: request.body ? Buffer.from(request.body) : undefined,
        redirect: "manual",
      });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const text = await response.text();
      const where = `${sender.slice(0, 12)} ${request.method} ${request.path.slice(0, 120)} → ${response.status} ${text.slice(0, 200)}`;
      expect(response.status, where).toBeGreaterThanOrEqual(400);
      expect(response.status, where).toBeLessThan(500);
      expect(response.headers.get("content-type"), where).toContain("application/problem+json");
      const problem = JSON.parse(text);
      expect(problem.status, where).toBe(response.status);
      expect(typeof problem.type, where).toBe("string");
      expect(typeof problem.title, where).toBe("string");
    }),
    { numRuns: 300, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
  );

  expect(await countJobs(sql)).toBe(before);
  console.log(
    `hostile requests: ${tried} tried; status codes ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
  );
});
