import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { safeNext } from "@/app/_lib/safe-next";
import { isDatabaseUnavailable } from "@/db/outages";
import { parseConfig } from "@/lib/config";
import { adminListJobsQuery, encodeCursor, listJobsQuery } from "@/lib/http/api/schemas";
import { normalizeForwarded } from "@/lib/http/forwarded";
import { hasResultResource } from "@/lib/jobs/representation";
import { retryAfterSeconds } from "@/lib/jobs/timing";
import { renderTemplate } from "@/lib/jobs/types/email-bulk";
import { unstorableText } from "@/lib/storable-text";
import { throttleProgress } from "@/worker/progress";

describe("throttleProgress", () => {
  it("writes the first update at once and collapses the rest of the interval into the latest", async () => {
    const written: number[] = [];
    const progress = throttleProgress(
      async (update) => {
        written.push(update.percent);
      },
      50,
      (error) => assert.fail(String(error)),
    );
    progress.report({ percent: 1 });
    await sleep(5);
    for (const percent of [2, 3, 4]) progress.report({ percent });
    await sleep(80);
    assert.deepEqual(written, [1, 4]);
    assert.equal(await progress.close(), null);
  });

  it("hands back the update not yet written when closed", async () => {
    const written: number[] = [];
    const progress = throttleProgress(
      async (update) => {
        written.push(update.percent);
      },
      1_000,
      () => {},
    );
    progress.report({ percent: 10 });
    await sleep(5);
    progress.report({ percent: 90, message: "almost" });
    assert.deepEqual(await progress.close(), { percent: 90, message: "almost" });
    assert.deepEqual(written, [10]);
  });
});

describe("hasResultResource", () => {
  it("is a succeeded job's result, unless it is none or has expired", () => {
    const json = { kind: "json" };
    assert.equal(hasResultResource({ state: "succeeded", result: json, expiredAt: null }), true);
    assert.equal(hasResultResource({ state: "succeeded", result: { kind: "none" }, expiredAt: null }), false);
    assert.equal(hasResultResource({ state: "succeeded", result: json, expiredAt: new Date() }), false);
    assert.equal(hasResultResource({ state: "succeeded", result: json, expiredAt: "2026-12-03T10:00:00.000Z" }), false);
    assert.equal(hasResultResource({ state: "succeeded", result: null, expiredAt: null }), false);
    assert.equal(hasResultResource({ state: "running", result: json, expiredAt: null }), false);
  });
});

describe("retryAfterSeconds", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
  it("is 1 s for a queued job, 10 s for a paused one, and the wait until its retry when one is scheduled", () => {
    assert.equal(
      retryAfterSeconds(
        { state: "queued", estimatedCompletionAt: null, retryAt: null, paused: true, runAt: null },
        now,
      ),
      10,
    );
    assert.equal(
      retryAfterSeconds(
        { state: "queued", estimatedCompletionAt: null, retryAt: null, paused: false, runAt: null },
        now,
      ),
      1,
    );
    assert.equal(
      retryAfterSeconds(
        { state: "queued", estimatedCompletionAt: null, retryAt: at(7.2), paused: false, runAt: null },
        now,
      ),
      8,
    );
  });
  it("points a scheduled job at its runAt, a day at most", () => {
    const scheduled = (runAt: Date, paused = false) => ({
      state: "scheduled" as const,
      estimatedCompletionAt: null,
      retryAt: null,
      paused,
      runAt,
    });
    assert.equal(retryAfterSeconds(scheduled(at(3.2)), now), 4);
    assert.equal(retryAfterSeconds(scheduled(at(86_400)), now), 86_400);
    assert.equal(retryAfterSeconds(scheduled(at(30 * 86_400)), now), 86_400);
    assert.equal(retryAfterSeconds(scheduled(at(-5)), now), 1);
    assert.equal(retryAfterSeconds(scheduled(at(3), true), now), 3);
  });
  it("asks about ten times over the time a running job has left, between 1 and 30 s", () => {
    const running = (seconds: number) => ({
      state: "running" as const,
      estimatedCompletionAt: at(seconds),
      retryAt: null,
      paused: false,
      runAt: null,
    });
    assert.equal(retryAfterSeconds(running(100), now), 10);
    assert.equal(retryAfterSeconds(running(2), now), 1);
    assert.equal(retryAfterSeconds(running(3_600), now), 30);
    assert.equal(
      retryAfterSeconds(
        { state: "running", estimatedCompletionAt: null, retryAt: null, paused: false, runAt: null },
        now,
      ),
      2,
    );
  });
  it("is undefined once the job has finished", () => {
    assert.equal(
      retryAfterSeconds(
        { state: "succeeded", estimatedCompletionAt: null, retryAt: null, paused: false, runAt: null },
        now,
      ),
      undefined,
    );
  });
});

describe("renderTemplate", () => {
  it("fills placeholders from the row, case-insensitively, and leaves unknown ones empty", () => {
    assert.equal(renderTemplate("Hi {{ Name }}, {{missing}}!", { name: "Ada" }), "Hi Ada, !");
  });
});

describe("list cursors", () => {
  it("round-trip through the query schema", () => {
    const cursor = { createdAt: "2026-01-01T00:00:00.000Z", id: "0b7a4f52-5c3c-4b8e-9a65-1f1f1f1f1f1f" };
    assert.deepEqual(listJobsQuery.parse({ cursor: encodeCursor(cursor) }).cursor, cursor);
  });
  it("refuse what the API did not issue", () => {
    assert.equal(listJobsQuery.safeParse({ cursor: "bm90LWpzb24" }).success, false);
    assert.equal(adminListJobsQuery.safeParse({ cursor: encodeCursor({ at: "yesterday", id: "x" }) }).success, false);
  });
});

describe("isDatabaseUnavailable", () => {
  it("recognises connection failures, also as a cause, and not query errors", () => {
    assert.equal(isDatabaseUnavailable(Object.assign(new Error("refused"), { code: "ECONNREFUSED" })), true);
    assert.equal(isDatabaseUnavailable(new Error("wrapped", { cause: { code: "57P01" } })), true);
    assert.equal(isDatabaseUnavailable(Object.assign(new Error("syntax"), { code: "42601" })), false);
    assert.equal(isDatabaseUnavailable(null), false);
  });
});

describe("parseConfig", () => {
  it("gives the documented defaults for an empty environment", () => {
    const config = parseConfig({});
    assert.equal(config.WORKER_CONCURRENCY, 4);
    assert.equal(config.ACCEPTED_TEST_JOB_TYPES, false);
    assert.equal(config.JOB_RETENTION_DAYS, 7);
  });
  it("names each bad variable", () => {
    assert.throws(
      () => parseConfig({ WORKER_CONCURRENCY: "lots", ACCEPTED_TEST_JOB_TYPES: "yes" }),
      (error: Error) => {
        assert.match(error.message, /WORKER_CONCURRENCY/);
        assert.match(error.message, /ACCEPTED_TEST_JOB_TYPES/);
        return true;
      },
    );
  });
});

describe("safeNext", () => {
  it("keeps paths on this site", () => {
    assert.equal(safeNext("/jobs/1?tab=a#b"), "/jobs/1?tab=a#b");
    assert.equal(safeNext("/admin"), "/admin");
    assert.equal(safeNext("/./jobs/../admin"), "/admin");
  });
  it("sends anything that would leave the site to the dashboard", () => {
    for (const next of [
      "/\\evil.example/x",
      "/\t/evil.example/x",
      "/\\evil.example",
      "//evil.example",
      "https://evil.example",
      "/\n/evil.example",
      // Paths that become "//host" only once their dot segments are resolved.
      "/.//evil.example",
      "/..//evil.example",
      "/%2e//evil.example",
      "/%2E%2E//evil.example",
      "/./\\evil.example",
      "/x/../\\evil.example",
      "/x/..//evil.example/x?y#z",
      undefined,
      "evil",
    ]) {
      assert.equal(safeNext(next), "/", JSON.stringify(next));
    }
  });
});

describe("unstorableText", () => {
  it("finds NULs and unpaired surrogates in keys and values, by path", () => {
    assert.deepEqual(
      unstorableText({ a: ["ok", "x\u0000"], "k\ud800": 1, b: { c: "\udc00" }, d: "😀" }).map((issue) => issue.path),
      [["k\ud800"], ["b", "c"], ["a", 1]],
    );
  });
  it("walks JSON nested far deeper than the call stack would allow", () => {
    const deep = JSON.parse(`${"[".repeat(100_000)}"\\u0000"${"]".repeat(100_000)}`);
    assert.equal(unstorableText(deep).length, 1);
  });
});

describe("normalizeForwarded", () => {
  it("with no trusted proxy, ignores what the client claims and names the socket", () => {
    const headers = { "x-forwarded-for": "6.6.6.6", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" };
    normalizeForwarded(headers, "10.0.0.5", 0);
    assert.deepEqual(headers, { "x-forwarded-for": "10.0.0.5" });
  });
  it("behind N trusted proxies, takes the address the outermost one received from", () => {
    const headers = { "x-forwarded-for": "6.6.6.6, 203.0.113.7", "x-forwarded-proto": "https" };
    // The client spoofed 6.6.6.6; the proxy (at 10.0.0.2) appended the real 203.0.113.7.
    normalizeForwarded(headers, "10.0.0.2", 1);
    assert.deepEqual(headers, { "x-forwarded-for": "203.0.113.7", "x-forwarded-proto": "https" });
  });
  it("with more hops trusted than there are, falls back to the first address", () => {
    const headers = { "x-forwarded-for": "203.0.113.7" };
    normalizeForwarded(headers, "10.0.0.2", 5);
    assert.equal(headers["x-forwarded-for"], "203.0.113.7");
  });
});
