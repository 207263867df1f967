import { eq } from "drizzle-orm";
import { jobs } from "@/db/schema";
import { submitJob } from "@/lib/jobs/lifecycle";
import { findJobType } from "@/lib/jobs/registry";
import { expect, test } from "../support/fixtures";
import { isolatedDatabase } from "../support/isolated";

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
