import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { eq, sql } from "drizzle-orm";
import { jobs, rateLimitWindows, uploads } from "@/db/schema";
import { QuotaExceeded, RateLimited } from "@/lib/errors";
import { submitJob } from "@/lib/jobs/lifecycle";
import { demoSteps } from "@/lib/jobs/types/demo-steps";
import { rateLimitSubject, takeRateLimit } from "@/lib/rate-limits";
import { displayName, forgetUnusedUploads, storeUpload } from "@/lib/uploads/store";
import { newOwner, unitDatabase } from "./support";

const { db, close } = unitDatabase();
after(close);

const settle = <T>(promises: Promise<T>[]) => Promise.allSettled(promises);

describe("rate limits", () => {
  it("let exactly `max` of many concurrent hits through, each subject apart, until the window ends", async () => {
    const limit = { name: "unit-test", max: 5, windowSeconds: 60 };
    const subject = newOwner();
    const outcomes = await settle(Array.from({ length: 12 }, () => takeRateLimit(db, limit, subject)));
    assert.equal(outcomes.filter((outcome) => outcome.status === "fulfilled").length, 5);
    const refused = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason] : []));
    assert.equal(refused.length, 7);
    for (const error of refused) {
      assert.ok(error instanceof RateLimited);
      assert.ok(error.retryAfterSeconds >= 58 && error.retryAfterSeconds <= 60, String(error.retryAfterSeconds));
    }
    // Another subject has a window of its own.
    await takeRateLimit(db, limit, newOwner());
    // Once the window has ended, a new one opens.
    await db
      .update(rateLimitWindows)
      .set({ windowStartedAt: sql`now() - interval '61 seconds'` })
      .where(eq(rateLimitWindows.key, `unit-test:${subject}`));
    await takeRateLimit(db, limit, subject);
  });

  it("count an IPv6 client by its /64, and an IPv4 one (mapped or not) by its address", () => {
    assert.equal(rateLimitSubject("2001:db8:1:2:aaaa::1"), rateLimitSubject("2001:db8:1:2:bbbb::2"));
    assert.notEqual(rateLimitSubject("2001:db8:1:2::1"), rateLimitSubject("2001:db8:1:3::1"));
    assert.equal(rateLimitSubject("::ffff:192.0.2.7"), "192.0.2.7");
    assert.equal(rateLimitSubject("192.0.2.7"), "192.0.2.7");
    assert.equal(rateLimitSubject("unknown"), "unknown");
  });
});

const csvOf = (bytes: number) => Buffer.from(`email\n${"a".repeat(bytes - 9)}@x\n`);
const newUpload = (ownerId: string, bytes: number, filename = "r.csv") => ({
  ownerId,
  filename,
  contentType: "text/csv",
  content: csvOf(bytes),
  columns: ["email"],
  rows: 1,
});

describe("uploads", () => {
  it("stay within the owner's quota however many are stored at once", async () => {
    const ownerId = newOwner();
    const outcomes = await settle(Array.from({ length: 10 }, () => storeUpload(db, newUpload(ownerId, 1_000), 3_500)));
    assert.equal(outcomes.filter((outcome) => outcome.status === "fulfilled").length, 3);
    for (const outcome of outcomes) {
      if (outcome.status === "rejected") assert.ok(outcome.reason instanceof QuotaExceeded, String(outcome.reason));
    }
    const [stored] = await db
      .select({ bytes: sql<number>`sum(octet_length(${uploads.content}))::int` })
      .from(uploads)
      .where(eq(uploads.ownerId, ownerId));
    assert.equal(stored?.bytes, 3_000);
  });

  it("are stored under a name that is safe to show: no path, no control or direction characters", async () => {
    const cases: [string, string][] = [
      ["../../etc/passwd", "passwd"],
      ["C:\\Users\\ada\\team.csv", "team.csv"],
      ["team\r\nSet-Cookie: x=1.csv", "team Set-Cookie: x=1.csv"],
      ["report\u202egnp.csv", "report gnp.csv"],
      ["\u0000\u0007", "recipients.csv"],
      ["..", "recipients.csv"],
      ["x".repeat(300), "x".repeat(200)],
      ["a\u200bb\ufeff.csv", "a b .csv"],
      [`${"x".repeat(199)}😀😀.csv`, `${"x".repeat(199)}😀`],
    ];
    for (const [given, shown] of cases) assert.equal(displayName(given), shown, JSON.stringify(given));
    const stored = await storeUpload(db, newUpload(newOwner(), 100, "../../etc/passwd"), 10_000);
    assert.equal(stored.filename, "passwd");
  });

  it("are deleted once old and named by no kept job: never used, or used by jobs since expired", async () => {
    const ownerId = newOwner();
    const store = async () => (await storeUpload(db, newUpload(ownerId, 100), 100_000)).id;
    const [unused, usedByKept, usedByExpired, recent] = [await store(), await store(), await store(), await store()];
    await db
      .update(uploads)
      .set({ createdAt: sql`now() - interval '2 days'` })
      .where(sql`${uploads.id} in (${unused}, ${usedByKept}, ${usedByExpired})`);
    const jobNaming = async (uploadId: string) =>
      (await submitJob(db, { jobType: demoSteps, input: { steps: 1, recipients: uploadId }, ownerId })).job;
    await jobNaming(usedByKept);
    const expired = await jobNaming(usedByExpired);
    await db.update(jobs).set({ expiredAt: sql`now()` }).where(eq(jobs.id, expired.id));
    // Named in a member no job type declares for uploads: not a use.
    const namedElsewhere = await store();
    await db.update(uploads).set({ createdAt: sql`now() - interval '2 days'` }).where(eq(uploads.id, namedElsewhere));
    await submitJob(db, { jobType: demoSteps, input: { steps: 1, note: namedElsewhere }, ownerId });

    await forgetUnusedUploads(db, 24, [{ type: demoSteps.type, field: "recipients" }]);
    const left = await db.select({ id: uploads.id }).from(uploads).where(eq(uploads.ownerId, ownerId));
    assert.deepEqual(new Set(left.map((row) => row.id)), new Set([usedByKept, recent]));
  });
});
