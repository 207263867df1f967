import { eq } from "drizzle-orm";
import { jobs } from "@/db/schema";
import { submitJob } from "@/lib/jobs/lifecycle";
import { findJobType } from "@/lib/jobs/registry";
import { expect, test } from "../support/fixtures";
import { isolatedDatabase } from "../support/isolated";
import { countSuccesses } from "../support/successes";

// Short so the test is quick; production defaults are 5 s and 30 s.
const HEARTBEAT = { WORKER_HEARTBEAT_MS: "500", WORKER_DEAD_AFTER_MS: "3000", LOG_LEVEL: "info" };

test("a worker killed with SIGKILL mid-job: another worker finishes the job, the attempt counted", async ({ sql }) => {
  test.setTimeout(120_000);
  const isolated = await isolatedDatabase(sql, "crash");
  try {
    isolated.startWorker(HEARTBEAT);
    isolated.startWorker(HEARTBEAT);
    await expect
      .poll(async () => (await isolated.sql`select distinct pid from worker_heartbeats`).length, { timeout: 30_000 })
      .toBe(2);

    const jobType = findJobType("demo.steps");
    if (!jobType) throw new Error("demo.steps is missing");
    const submitted = await submitJob(isolated.db, { jobType, input: { steps: 8, stepMs: 500 }, ownerId: null });
    const id = submitted.job.id;
    await expect
      .poll(async () => (await isolated.sql`select progress from jobs where id = ${id}`)[0]?.progress, {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);

    const [holder] = await isolated.sql`
      select h.pid from graphile_worker._private_jobs j join worker_heartbeats h on h.pool_id = j.locked_by
      where j.key = ${id}`;
    expect(holder?.pid).toBeGreaterThan(0);
    process.kill(holder?.pid as number, "SIGKILL");
    const killedAt = Date.now();

    await expect
      .poll(
        async () => (await isolated.sql`select attempts from jobs where id = ${id} and state = 'running'`)[0]?.attempts,
        {
          timeout: 60_000,
          intervals: [100],
        },
      )
      .toBe(2);
    const restartedAfterS = (Date.now() - killedAt) / 1000;
    await expect
      .poll(async () => (await isolated.sql`select state from jobs where id = ${id}`)[0]?.state, { timeout: 60_000 })
      .toBe("succeeded");
    console.log(
      `SIGKILL recovery: attempt 2 started ${restartedAfterS.toFixed(1)} s after the kill, succeeded ${((Date.now() - killedAt) / 1000).toFixed(1)} s after it`,
    );

    const [job] = await isolated.db.select().from(jobs).where(eq(jobs.id, id));
    expect(job).toMatchObject({ state: "succeeded", attempts: 2, progress: 100 });
    expect(job?.attemptErrors).toEqual([
      expect.objectContaining({ attempt: 1, message: "The worker running this attempt stopped responding" }),
    ]);
    expect(job?.result).toMatchObject({ kind: "json", value: { steps: 8 } });
    // The queue job is done, and the dead worker's heartbeat is gone.
    expect(await isolated.sql`select 1 from graphile_worker._private_jobs where key = ${id}`).toHaveLength(0);
    expect(await isolated.sql`select distinct pid from worker_heartbeats`).toHaveLength(1);
  } finally {
    await isolated.drop();
  }
});

test("SIGTERM: a worker lets its running job go after the grace period, and the next worker finishes it", async ({
  sql,
}) => {
  test.setTimeout(120_000);
  const isolated = await isolatedDatabase(sql, "sigterm");
  try {
    const first = isolated.startWorker(HEARTBEAT);
    await expect
      .poll(async () => (await isolated.sql`select distinct pid from worker_heartbeats`).length, { timeout: 30_000 })
      .toBe(1);
    const jobType = findJobType("demo.steps");
    if (!jobType) throw new Error("demo.steps is missing");
    const { job } = await submitJob(isolated.db, { jobType, input: { steps: 30, stepMs: 500 }, ownerId: null });
    await expect
      .poll(async () => (await isolated.sql`select state from jobs where id = ${job.id}`)[0]?.state, {
        timeout: 20_000,
      })
      .toBe("running");

    const exited = new Promise((resolve) => first.once("exit", resolve));
    first.kill("SIGTERM");
    await exited;

    // Handed back, not left locked: unlocked in the queue, queued in our table.
    const [queued] = await isolated.sql`select locked_at from graphile_worker._private_jobs where key = ${job.id}`;
    expect(queued).toEqual({ locked_at: null });
    const [row] = await isolated.sql`select state, attempt_errors from jobs where id = ${job.id}`;
    expect(row?.state).toBe("queued");
    expect(row?.attempt_errors).toEqual([expect.objectContaining({ attempt: 1 })]);
    // It left cleanly, so nobody has to presume it dead.
    expect(await isolated.sql`select 1 from worker_heartbeats`).toHaveLength(0);

    isolated.startWorker(HEARTBEAT);
    await expect
      .poll(
        async () =>
          (await isolated.sql`select attempts from jobs where id = ${job.id} and state = 'running'`)[0]?.attempts,
        {
          timeout: 30_000,
        },
      )
      .toBe(2);
  } finally {
    await isolated.drop();
  }
});

test("a worker killed with SIGKILL while it batches its writes: every job still ends succeeded exactly once", async ({
  sql,
}) => {
  test.setTimeout(180_000);
  const isolated = await isolatedDatabase(sql, "batchkill");
  try {
    // Eight jobs at a time on each: starts and completions pile up and are written together.
    const batching = { ...HEARTBEAT, WORKER_BATCH_WRITES: "1", WORKER_CONCURRENCY: "8", LOG_LEVEL: "warn" };
    const doomed = isolated.startWorker(batching);
    isolated.startWorker(batching);
    await expect
      .poll(async () => (await isolated.sql`select distinct pid from worker_heartbeats`).length, { timeout: 30_000 })
      .toBe(2);
    const jobType = findJobType("test.record");
    if (!jobType) throw new Error("test.record is missing (ACCEPTED_TEST_JOB_TYPES)");
    const successes = await countSuccesses(isolated.sql);
    const ids: string[] = [];
    for (let index = 0; index < 400; index++) {
      ids.push((await submitJob(isolated.db, { jobType, input: {}, ownerId: null })).job.id);
    }
    // Kill one worker mid-stream, with writes of its in its window.
    await expect
      .poll(async () => (await isolated.sql`select count(*)::int as n from jobs where state = 'succeeded'`)[0]?.n, {
        timeout: 30_000,
        intervals: [20],
      })
      .toBeGreaterThan(50);
    doomed.kill("SIGKILL");

    await expect
      .poll(async () => (await isolated.sql`select count(*)::int as n from jobs where state = 'succeeded'`)[0]?.n, {
        timeout: 120_000,
      })
      .toBe(400);
    // Each ended once: one write made it succeeded, its final state never rewritten.
    await successes.stop();
    expect(successes.figures(ids)).toEqual({ once: 400, moreThanOnce: 0 });
    // At least once: every job's effect is there (an attempt cut off by the kill may have run twice).
    const [effects] = await isolated.sql`
      select count(*) filter (where n = 0)::int as missing, count(*) filter (where n > 1)::int as repeated from (
        select j.id, count(e.id) as n from jobs j left join test_effects e on e.job_id = j.id group by j.id) per_job`;
    console.log(`SIGKILL during batched writes: ${JSON.stringify(effects)} of 400 jobs`);
    expect(effects?.missing).toBe(0);
    // A job the killed worker had finished in our table but not yet in the queue stays locked until its
    // worker is presumed dead; then another worker takes it, finds it finished, and it leaves the queue.
    await expect
      .poll(
        async () => (await isolated.sql`select 1 from graphile_worker._private_jobs where key = any(${ids})`).length,
        {
          timeout: 30_000,
        },
      )
      .toBe(0);
  } finally {
    await isolated.drop();
  }
});
