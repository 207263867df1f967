import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { jobFiles, jobTypeControls } from "@/db/schema";
import { JobNotFound, JobStateConflict } from "@/lib/errors";
import {
  beginAttempts,
  cancelJob,
  cancelUnstarted,
  completeJob,
  expireJobs,
  findDeadWorkers,
  recordAttemptFailure,
  recordHeartbeat,
  recordProgress,
  releaseDeadWorkers,
  retryJob,
  startAttempt,
  submitJob,
  writeDeferredStarts,
} from "@/lib/jobs/lifecycle";
import { everyOwner } from "@/lib/jobs/queries";
import { demoSteps } from "@/lib/jobs/types/demo-steps";
import { lockAs, newOwner, queueEntry, readJob, unitDatabase } from "./support";

const { db, close } = unitDatabase();
after(close);

const actor = { id: "admin-1", email: "admin@example.com" };
const submit = async (ownerId = newOwner(), idempotencyKey?: string, input: Record<string, unknown> = { steps: 2 }) =>
  submitJob(db, { jobType: demoSteps, input, ownerId, idempotencyKey });
const failure = (final: boolean) => ({
  message: "boom",
  cause: "failed" as const,
  queueAttempt: 1,
  finalProblem: final
    ? { type: "/problems/job-failed", title: "The job failed", status: 500, detail: "boom" }
    : undefined,
});

describe("submitJob", () => {
  it("writes the row queued and its graphile-worker job, keyed by the row's id", async () => {
    const { kind, job } = await submit();
    assert.equal(kind, "created");
    assert.equal(job.state, "queued");
    assert.equal(job.maxAttempts, 3);
    assert.equal(job.retentionSeconds, 7 * 86_400);
    const entry = await queueEntry(db, job.id);
    assert.equal(entry?.task_identifier, "demo.steps");
    assert.deepEqual(entry?.payload, { jobId: job.id, attemptOffset: 0 });
  });

  it("replays a repeated Idempotency-Key and refuses it for a different request", async () => {
    const owner = newOwner();
    const first = await submit(owner, "key-1");
    const again = await submit(owner, "key-1");
    assert.equal(again.kind, "replayed");
    assert.equal(again.job.id, first.job.id);
    const different = await submit(owner, "key-1", { steps: 3 });
    assert.equal(different.kind, "key-reused");
    // Keys are per owner: another owner's same key makes a job of its own.
    assert.equal((await submit(newOwner(), "key-1")).kind, "created");
  });

  it("makes one job of concurrent submits with one key", async () => {
    const owner = newOwner();
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => submit(owner, "race")));
    assert.equal(new Set(outcomes.map((outcome) => outcome.job.id)).size, 1);
    const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from jobs where owner_id = ${owner}`);
    assert.equal(row?.n, 1);
  });
});

describe("attempts", () => {
  it("queued → running → progress with an ETA → succeeded with the last message", async () => {
    const { job } = await submit();
    const start = await startAttempt(db, job.id, 1);
    assert.equal(start.kind, "started");
    const running = start.kind === "started" ? start.job : null;
    assert.equal(running?.state, "running");
    assert.equal(running?.attempts, 1);
    await recordProgress(db, job.id, 1, { percent: 40, message: "Step 2 of 5" });
    const midway = await readJob(db, job.id);
    assert.equal(midway.progress, 40);
    assert.ok(midway.estimatedCompletionAt && midway.estimatedCompletionAt >= (midway.attemptStartedAt as Date));
    const done = await completeJob(db, {
      jobId: job.id,
      attempt: 1,
      output: { kind: "json", value: { ok: true } },
      finalMessage: "Step 5 of 5",
    });
    assert.equal(done?.state, "succeeded");
    assert.equal(done?.progress, 100);
    assert.equal(done?.message, "Step 5 of 5");
    assert.deepEqual(done?.result, { kind: "json", value: { ok: true } });
    // A duplicate delivery finds nothing to run.
    assert.deepEqual(await startAttempt(db, job.id, 2), { kind: "gone" });
  });

  it("a stale attempt writes nothing, not even its file", async () => {
    const { job } = await submit();
    await startAttempt(db, job.id, 1);
    await startAttempt(db, job.id, 2); // its worker was presumed dead; the job runs again
    const file = { kind: "file" as const, filename: "a.csv", contentType: "text/csv", content: Buffer.from("a") };
    assert.equal(await completeJob(db, { jobId: job.id, attempt: 1, output: file }), null);
    assert.equal(await recordAttemptFailure(db, job.id, 1, failure(true)), null);
    assert.equal((await db.select().from(jobFiles).where(sql`${jobFiles.jobId} = ${job.id}`)).length, 0);
    const done = await completeJob(db, { jobId: job.id, attempt: 2, output: { ...file, content: Buffer.from("b,c") } });
    assert.deepEqual(done?.result, { kind: "file", filename: "a.csv", contentType: "text/csv", size: 3 });
  });

  it("a failed attempt goes back to queued with its error and when the retry comes", async () => {
    const { job } = await submit();
    await startAttempt(db, job.id, 1);
    const requeued = await recordAttemptFailure(db, job.id, 1, failure(false));
    assert.equal(requeued?.state, "queued");
    assert.equal(requeued?.message, "Attempt 1 failed; it will be retried");
    assert.equal(requeued?.attemptErrors.length, 1);
    assert.equal(requeued?.attemptErrors[0]?.message, "boom");
    // exp(1) ≈ 2.7 s after the failure, as graphile-worker schedules it.
    assert.ok(requeued?.retryAt);
    const wait = requeued.retryAt.getTime() - requeued.updatedAt.getTime();
    assert.ok(wait > 2_000 && wait < 3_500, `retry in ${wait} ms`);
  });

  it("the last attempt's failure ends the job failed, with its problem", async () => {
    const { job } = await submit();
    await startAttempt(db, job.id, 1);
    const failed = await recordAttemptFailure(db, job.id, 1, failure(true));
    assert.equal(failed?.state, "failed");
    assert.equal(failed?.message, "Failed after 1 attempt");
    assert.equal(failed?.error?.detail, "boom");
    assert.ok(failed?.finishedAt);
  });
});

describe("commands", () => {
  it("cancel takes a queued job out of the queue; again is harmless; a finished job is a conflict", async () => {
    const owner = newOwner();
    const { job } = await submit(owner);
    const cancelled = await cancelJob(db, { ownerId: owner }, job.id, { actor });
    assert.equal(cancelled.changed, true);
    assert.equal(cancelled.job.state, "cancelled");
    assert.equal(cancelled.job.cancelledBy, actor.email);
    assert.equal(await queueEntry(db, job.id), null);
    assert.equal((await cancelJob(db, { ownerId: owner }, job.id, { actor })).changed, false);

    const { job: other } = await submit(owner);
    await startAttempt(db, other.id, 1);
    await completeJob(db, { jobId: other.id, attempt: 1, output: { kind: "none" } });
    await assert.rejects(cancelJob(db, { ownerId: owner }, other.id, { actor }), JobStateConflict);
  });

  it("someone else's job, or none, is JobNotFound", async () => {
    const { job } = await submit();
    await assert.rejects(cancelJob(db, { ownerId: newOwner() }, job.id, { actor }), JobNotFound);
    await assert.rejects(retryJob(db, { ownerId: newOwner() }, job.id, { actor }), JobNotFound);
    await assert.rejects(retryJob(db, { allOwners: true }, randomUUID(), { actor }), JobNotFound);
  });

  it("retry queues a failed job again, its attempts counting on, and audits an admin's", async () => {
    const owner = newOwner();
    const { job } = await submit(owner);
    await startAttempt(db, job.id, 1);
    await recordAttemptFailure(db, job.id, 1, failure(true));
    const retried = await retryJob(db, { allOwners: true }, job.id, { actor, audit: true });
    assert.equal(retried.state, "queued");
    assert.equal(retried.maxAttempts, 1 + 3);
    assert.deepEqual((await queueEntry(db, job.id))?.payload, { jobId: job.id, attemptOffset: 1 });
    const [audit] = await db.execute<{ action: string }>(
      sql`select action from audit_log where ${job.id}::uuid = any(job_ids)`,
    );
    assert.equal(audit?.action, "retry");
    await assert.rejects(retryJob(db, { ownerId: owner }, job.id, { actor }), JobStateConflict);
  });
});

describe("expireJobs", () => {
  it("deletes a finished job's result and file and marks it expired; unfinished jobs stay", async () => {
    const { job } = await submit();
    await startAttempt(db, job.id, 1);
    await completeJob(db, {
      jobId: job.id,
      attempt: 1,
      output: { kind: "file", filename: "r.csv", contentType: "text/csv", content: Buffer.from("x") },
    });
    const { job: queued } = await submit();
    assert.deepEqual(await expireJobs(db, { id: queued.id, auditedAs: actor }), []);
    assert.deepEqual(await expireJobs(db, { id: job.id, auditedAs: actor }), [job.id]);
    const expired = await readJob(db, job.id);
    assert.ok(expired.expiredAt);
    assert.equal(expired.result, null);
    assert.equal((await db.select().from(jobFiles).where(sql`${jobFiles.jobId} = ${job.id}`)).length, 0);
  });
});

describe("cancelUnstarted", () => {
  it("cancels the queued jobs past their startBy, saying why, and takes them out of the queue; the others stay", async () => {
    const late = await submitJob(db, {
      jobType: demoSteps,
      input: { steps: 1 },
      ownerId: newOwner(),
      startBy: new Date(Date.now() + 60_000),
    });
    const onTime = await submitJob(db, {
      jobType: demoSteps,
      input: { steps: 1 },
      ownerId: newOwner(),
      startBy: new Date(Date.now() + 60_000),
    });
    const without = await submitJob(db, { jobType: demoSteps, input: { steps: 1 }, ownerId: newOwner() });
    // Its deadline passes while it waits.
    await db.execute(sql`update jobs set start_by = now() - interval '1 second' where id = ${late.job.id}`);
    const cancelled = await cancelUnstarted(db, { limit: 1_000 });
    assert.ok(cancelled.includes(late.job.id));
    assert.ok(!cancelled.includes(onTime.job.id) && !cancelled.includes(without.job.id));
    const job = await readJob(db, late.job.id);
    assert.equal(job.state, "cancelled");
    assert.equal(job.cancelledBy, "startBy");
    assert.match(job.message ?? "", /^Not started by \d{4}-\d\d-\d\dT[\d:.]+Z, as its submitter asked: cancelled$/);
    assert.equal(await queueEntry(db, late.job.id), null);
    assert.ok(await queueEntry(db, onTime.job.id));
    assert.equal((await readJob(db, onTime.job.id)).state, "queued");
    // The worker's own check: the job it fetched, only if late.
    assert.deepEqual(await cancelUnstarted(db, { jobId: onTime.job.id, attempt: 1 }), []);
    // A job that has started (retried after a failure, say) has spent its startBy: it is never cancelled for it.
    const retried = await submitJob(db, {
      jobType: demoSteps,
      input: { steps: 1 },
      ownerId: newOwner(),
      startBy: new Date(Date.now() + 60_000),
    });
    await db.execute(
      sql`update jobs set start_by = now() - interval '1 second', attempts = 1 where id = ${retried.job.id}`,
    );
    assert.ok(!(await cancelUnstarted(db, { limit: 1_000 })).includes(retried.job.id));
    assert.deepEqual(await cancelUnstarted(db, { jobId: retried.job.id, attempt: 2 }), []);
    assert.equal((await readJob(db, retried.job.id)).state, "queued");
  });
});

describe("dead-worker recovery", () => {
  it("finds pools gone silent, and requeues their running jobs through the failure transition", async () => {
    const { job } = await submit();
    await startAttempt(db, job.id, 1);
    const deadPool = `dead-${randomUUID()}`;
    await lockAs(db, job.id, deadPool, 120);
    await recordHeartbeat(db, [deadPool], { hostname: "gone", pid: 1, stuckAttempts: 0 });
    await db.execute(
      sql`update worker_heartbeats set last_seen_at = now() - interval '2 minutes' where pool_id = ${deadPool}`,
    );
    const ownPool = `alive-${randomUUID()}`;

    const dead = await findDeadWorkers(db, [ownPool], 30_000);
    assert.ok(dead.includes(deadPool));
    assert.ok(!dead.includes(ownPool));
    assert.ok((await releaseDeadWorkers(db, [deadPool])) >= 1);

    const released = await readJob(db, job.id);
    assert.equal(released.state, "queued");
    assert.equal(released.message, "Attempt 1 was interrupted; it will be retried");
    assert.equal(released.attemptErrors[0]?.message, "The worker running this attempt stopped responding");
    assert.equal((await queueEntry(db, job.id))?.locked_by, null);
  });

  it("fails a job whose last attempt was interrupted", async () => {
    const { job } = await submitJob(db, {
      jobType: { ...demoSteps, maxAttempts: 1 },
      input: {},
      ownerId: newOwner(),
    });
    await startAttempt(db, job.id, 1);
    const deadPool = `dead-${randomUUID()}`;
    await lockAs(db, job.id, deadPool, 120);
    // A pool that never beat at all is found by its old lock.
    assert.ok((await findDeadWorkers(db, [], 30_000)).includes(deadPool));
    await releaseDeadWorkers(db, [deadPool]);
    const failed = await readJob(db, job.id);
    assert.equal(failed.state, "failed");
    assert.equal(failed.message, "Failed after 1 attempt");
    assert.equal(failed.error?.detail, "The worker running this attempt stopped responding");
    assert.equal(await queueEntry(db, job.id), null);
  });

  it("records a deferred attempt (its start never written) of a dead worker as interrupted, and fails a last one", async () => {
    const retried = (await submit()).job;
    const last = (await submitJob(db, { jobType: { ...demoSteps, maxAttempts: 1 }, input: {}, ownerId: newOwner() }))
      .job;
    assert.deepEqual(
      (
        await beginAttempts(
          db,
          [retried, last].map((job) => ({ jobId: job.id, attempt: 1 })),
        )
      ).map((o) => o.kind),
      ["deferred", "deferred"],
    );
    const deadPool = `dead-${randomUUID()}`;
    await lockAs(db, retried.id, deadPool, 120);
    await lockAs(db, last.id, deadPool, 120);
    await releaseDeadWorkers(db, [deadPool]);
    const requeued = await readJob(db, retried.id);
    assert.equal(requeued.state, "queued");
    assert.equal(requeued.attempts, 1);
    assert.equal(requeued.message, "Attempt 1 was interrupted; it will be retried");
    assert.ok(requeued.startedAt && Date.now() - requeued.startedAt.getTime() >= 100_000, "started when it was locked");
    const failed = await readJob(db, last.id);
    assert.equal(failed.state, "failed");
    assert.equal(failed.attempts, 1);
    assert.equal(await queueEntry(db, last.id), null);
  });
});

describe("deferred starts", () => {
  it("a job of a type without controls begins with a read: its row stays queued until the attempt ends", async () => {
    const { job } = await submit();
    const [outcome] = await beginAttempts(db, [{ jobId: job.id, attempt: 1 }]);
    assert.equal(outcome?.kind, "deferred");
    const unchanged = await readJob(db, job.id);
    assert.equal(unchanged.state, "queued");
    assert.equal(unchanged.version, job.version);

    const done = await completeJob(db, { jobId: job.id, attempt: 1, output: { kind: "none" }, deferredMs: 40 });
    assert.equal(done?.state, "succeeded");
    assert.equal(done?.attempts, 1);
    assert.equal(done?.version, job.version + 1, "queued → succeeded is one write");
    assert.ok(done?.startedAt && done.attemptStartedAt && done.finishedAt);
    const ranMs = (done.finishedAt as Date).getTime() - done.startedAt.getTime();
    assert.ok(ranMs >= 39 && ranMs < 5_000, `started ${ranMs} ms before it finished`);
  });

  it("a deferred attempt that runs on writes its start, then completes as any other", async () => {
    const { job } = await submit();
    await beginAttempts(db, [{ jobId: job.id, attempt: 1 }]);
    const [running] = await writeDeferredStarts(db, [{ jobId: job.id, attempt: 1, elapsedMs: 250 }]);
    assert.equal(running?.state, "running");
    assert.equal(running?.attempts, 1);
    // Written once: a second write (or a deferred completion) finds no queued row.
    assert.deepEqual(await writeDeferredStarts(db, [{ jobId: job.id, attempt: 1, elapsedMs: 300 }]), []);
    assert.equal(await completeJob(db, { jobId: job.id, attempt: 1, output: { kind: "none" }, deferredMs: 300 }), null);
    assert.equal((await completeJob(db, { jobId: job.id, attempt: 1, output: { kind: "none" } }))?.state, "succeeded");
  });

  it("a job cancelled while its deferred attempt runs stays cancelled", async () => {
    const { job } = await submit();
    await beginAttempts(db, [{ jobId: job.id, attempt: 1 }]);
    await cancelJob(db, everyOwner, job.id, { actor });
    assert.equal(await completeJob(db, { jobId: job.id, attempt: 1, output: { kind: "none" }, deferredMs: 10 }), null);
    assert.deepEqual(await writeDeferredStarts(db, [{ jobId: job.id, attempt: 1, elapsedMs: 10 }]), []);
    assert.equal((await readJob(db, job.id)).state, "cancelled");
  });

  it("a job of a type with controls, or finished, is not deferred", async () => {
    const controlled = { ...demoSteps, type: `unit.${randomUUID()}` };
    const { job: limited } = await submitJob(db, { jobType: controlled, input: {}, ownerId: newOwner() });
    await db.insert(jobTypeControls).values({ type: controlled.type, concurrencyLimit: 5 });
    const { job: finished } = await submit();
    await cancelJob(db, everyOwner, finished.id, { actor });
    const outcomes = await beginAttempts(db, [
      { jobId: limited.id, attempt: 1 },
      { jobId: finished.id, attempt: 1 },
    ]);
    assert.deepEqual(
      outcomes.map((outcome) => outcome.kind),
      ["started", "gone"],
    );
    assert.equal((await readJob(db, limited.id)).state, "running");
  });
});
