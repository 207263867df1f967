import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import { eq, sql } from "drizzle-orm";
import { jobOwnerQuotas, jobs, jobTypeControls } from "@/db/schema";
import { UnfinishedJobsCapReached } from "@/lib/errors";
import type { JobType } from "@/lib/jobs/define";
import { cancelJob, requeueHeld, startAttempt, submitJob } from "@/lib/jobs/lifecycle";
import { everyOwner } from "@/lib/jobs/queries";
import { ownerUsage, setOwnerCap } from "@/lib/jobs/quotas";
import { changeTypeControl, typesNotToStart } from "@/lib/jobs/type-controls";
import { demoSteps } from "@/lib/jobs/types/demo-steps";
import { emailBulk } from "@/lib/jobs/types/email-bulk";
import { newOwner, queueEntry, readJob, unitDatabase } from "./support";

const { db, close } = unitDatabase();
after(close);

const actor = { id: "admin-1", email: "admin@example.com" };
const submit = (ownerId: string | null, jobType: JobType = demoSteps) =>
  submitJob(db, { jobType, input: { steps: 1 }, ownerId });
/** A job type of this test's own, so its controls touch no other test's jobs. */
const ownType = (): JobType => ({ ...demoSteps, type: `unit.${randomUUID()}` }) as JobType;
const capOwner = async (ownerId: string, maxUnfinished: number) =>
  db.insert(jobOwnerQuotas).values({ ownerId, maxUnfinished });
const rowsOf = async (ownerId: string) =>
  (await db.select({ id: jobs.id }).from(jobs).where(eq(jobs.ownerId, ownerId))).length;

describe("the cap on unfinished jobs", () => {
  it("refuses the submit past an owner's cap, writing nothing, and says when to come back", async () => {
    const owner = newOwner();
    await capOwner(owner, 2);
    await submit(owner);
    await submit(owner);
    await assert.rejects(submit(owner), (error) => {
      assert.ok(error instanceof UnfinishedJobsCapReached);
      assert.equal(error.cap, 2);
      assert.equal(error.unfinished, 2);
      assert.ok(error.retryAfterSeconds >= 5 && error.retryAfterSeconds <= 600);
      return true;
    });
    assert.equal(await rowsOf(owner), 2);
  });

  it("admits exactly the cap of many concurrent submits", async () => {
    const owner = newOwner();
    await capOwner(owner, 5);
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => submit(owner)));
    assert.equal(outcomes.filter((outcome) => outcome.status === "fulfilled").length, 5);
    assert.equal(await rowsOf(owner), 5);
    assert.equal((await ownerUsage(db, owner)).unfinished, 5);
  });

  it("counts a finished job out and a retried one back in, whichever statement changes it", async () => {
    const owner = newOwner();
    await capOwner(owner, 1);
    const { job } = await submit(owner);
    await assert.rejects(submit(owner), UnfinishedJobsCapReached);
    await cancelJob(db, everyOwner, job.id, { actor });
    assert.equal((await ownerUsage(db, owner)).unfinished, 0);
    assert.equal((await submit(owner)).kind, "created");
  });

  it("refuses to set a cap for a user who does not exist", async () => {
    await assert.rejects(setOwnerCap(db, actor, `no-such-user-${randomUUID()}`, 3), /no user/);
  });
});

describe("fair priorities", () => {
  it("puts an owner's next job a round behind their last, and a newcomer's first in the current round", async () => {
    const heavy = newOwner();
    const priorities: number[] = [];
    for (let index = 0; index < 5; index++) priorities.push((await submit(heavy)).job.priority);
    for (let index = 1; index < priorities.length; index++) {
      assert.equal(priorities[index], (priorities[index - 1] as number) + 1);
    }
    const newcomer = (await submit(newOwner())).job.priority;
    assert.ok(newcomer <= (priorities[0] as number), `${newcomer} should not be behind ${priorities[0]}`);
    const entry = await db.execute<{ priority: number }>(
      sql`select priority from graphile_worker._private_jobs where key = ${String((await submit(heavy)).job.id)}`,
    );
    assert.equal(entry[0]?.priority, (priorities.at(-1) as number) + 1);
  });
});

describe("type controls at the start", () => {
  it("holds a paused type's job, marks it paused, and starts it after the resume", async () => {
    const jobType = ownType();
    const { job } = await submit(newOwner(), jobType);
    await db.insert(jobTypeControls).values({ type: jobType.type, paused: true });
    assert.deepEqual(await startAttempt(db, job.id, 1), { kind: "held", reason: "paused" });
    assert.equal((await readJob(db, job.id)).paused, true);
    assert.ok((await typesNotToStart(db)).includes(jobType.type));
    await db.update(jobTypeControls).set({ paused: false }).where(eq(jobTypeControls.type, jobType.type));
    assert.equal((await startAttempt(db, job.id, 1)).kind, "started");
  });

  it("never starts more than the limit, however many start at once", async () => {
    const jobType = ownType();
    await db.insert(jobTypeControls).values({ type: jobType.type, concurrencyLimit: 2 });
    const submitted = await Promise.all(Array.from({ length: 8 }, () => submit(newOwner(), jobType)));
    const outcomes = await Promise.all(submitted.map(({ job }) => startAttempt(db, job.id, 1)));
    assert.equal(outcomes.filter((outcome) => outcome.kind === "started").length, 2);
    assert.equal(outcomes.filter((outcome) => outcome.kind === "held").length, 6);
    assert.ok((await typesNotToStart(db)).includes(jobType.type));
  });

  it("requeues a held job with its priority and its attempts unspent", async () => {
    const jobType = ownType();
    const { job } = await submit(newOwner(), jobType);
    await requeueHeld(db, {
      type: jobType.type,
      jobId: job.id,
      attemptOffset: 2,
      maxAttempts: 1,
      priority: 7,
      delaySeconds: 1,
    });
    const entry = await queueEntry(db, job.id);
    assert.deepEqual(entry?.payload, { jobId: job.id, attemptOffset: 2 });
    assert.equal(entry?.max_attempts, 1);
  });

  it("a pause marks the type's queued jobs paused, a resume unmarks them, and each is audited", async () => {
    const { job } = await submitJob(db, {
      jobType: emailBulk,
      input: { uploadId: randomUUID(), subject: "Hi", body: "Hello" },
      ownerId: newOwner(),
    });
    const paused = await changeTypeControl(db, actor, emailBulk.type, { paused: true, concurrencyLimit: 3 });
    assert.equal(paused.paused, true);
    assert.equal(paused.concurrencyLimit, 3);
    assert.equal((await readJob(db, job.id)).paused, true);
    // A submit while paused is accepted, and queued as paused.
    const during = await submitJob(db, {
      jobType: emailBulk,
      input: { uploadId: randomUUID(), subject: "Hi", body: "Hello" },
      ownerId: newOwner(),
    });
    assert.equal(during.job.paused, true);
    await changeTypeControl(db, actor, emailBulk.type, { paused: false, concurrencyLimit: null });
    assert.equal((await readJob(db, job.id)).paused, false);
    assert.equal((await readJob(db, during.job.id)).paused, false);
    const audit = await db.execute<{ action: string }>(
      sql`select action from audit_log where detail->>'type' = ${emailBulk.type} order by id`,
    );
    assert.deepEqual(
      audit.map((row) => row.action),
      ["pause-type", "set-type-limit", "resume-type", "set-type-limit"],
    );
  });
});
