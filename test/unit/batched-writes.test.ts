import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { batchedCalls } from "@/lib/batched-calls";
import { completeJobs, startAttempt, startAttempts, submitJob } from "@/lib/jobs/lifecycle";
import { demoSteps } from "@/lib/jobs/types/demo-steps";
import { newOwner, readJob, unitDatabase } from "./support";

const { db, close } = unitDatabase();
after(close);

const submit = async () => (await submitJob(db, { jobType: demoSteps, input: { steps: 1 }, ownerId: newOwner() })).job;

describe("batchedCalls", () => {
  it("runs a lone call at once, and the calls made meanwhile together after it, each with its own answer", async () => {
    const runs: number[][] = [];
    const double = batchedCalls(
      async (inputs: number[]) => {
        runs.push(inputs);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return inputs.map((n) => n * 2);
      },
      { maxSize: 10 },
    );
    assert.deepEqual(await Promise.all([1, 2, 3, 4].map(double)), [2, 4, 6, 8]);
    assert.deepEqual(runs, [[1], [2, 3, 4]]);
  });

  it("runs at most maxSize together, and a failing batch fails only the input that fails alone", async () => {
    const runs: number[][] = [];
    const call = batchedCalls(
      async (inputs: number[]) => {
        runs.push(inputs);
        if (inputs.includes(13)) throw new Error("unlucky");
        return inputs;
      },
      { maxSize: 2 },
    );
    const outcomes = await Promise.allSettled([1, 13, 3, 4].map(call));
    assert.deepEqual(
      outcomes.map((outcome) => outcome.status),
      ["fulfilled", "rejected", "fulfilled", "fulfilled"],
    );
    // 1 alone; then 13 and 3 together, which fails, so each alone; then 4.
    assert.deepEqual(runs, [[1], [13, 3], [13], [3], [4]]);
  });
});

describe("attempts written together", () => {
  it("starts many jobs in one statement and completes them in another; a stale attempt writes nothing", async () => {
    const jobs = await Promise.all([submit(), submit(), submit()]);
    const starts = await startAttempts(
      db,
      jobs.map((job) => ({ jobId: job.id, attempt: 1 })),
    );
    assert.deepEqual(
      starts.map((start) => start.kind),
      ["started", "started", "started"],
    );
    // The third job's worker was presumed dead and it runs again: attempt 1 is stale now.
    await startAttempt(db, jobs[2]?.id as string, 2);
    const done = await completeJobs(
      db,
      jobs.map((job) => ({ jobId: job.id, attempt: 1, output: { kind: "json" as const, value: job.id } })),
    );
    assert.equal(done[0]?.state, "succeeded");
    assert.deepEqual(done[1]?.result, { kind: "json", value: jobs[1]?.id });
    assert.equal(done[2], null);
    assert.equal((await readJob(db, jobs[2]?.id as string)).state, "running");
  });
});
