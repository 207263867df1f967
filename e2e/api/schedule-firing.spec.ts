import { setTimeout as sleep } from "node:timers/promises";
import { createSchedule, updateSchedule } from "@/lib/schedules/schedules";
import { expect, test } from "../support/fixtures";
import { isolatedDatabase } from "../support/isolated";

// Two real worker processes on a database of their own, both running the schedules lane.
const WORKER_ENV = { WORKER_HEARTBEAT_MS: "500", WORKER_DEAD_AFTER_MS: "3000", LOG_LEVEL: "info" };

test("a schedule firing every second for 10 s with two workers makes one job per firing, each on time", async ({
  sql,
}) => {
  test.setTimeout(120_000);
  const isolated = await isolatedDatabase(sql, "firing");
  try {
    isolated.startWorker(WORKER_ENV);
    isolated.startWorker(WORKER_ENV);
    await expect
      .poll(async () => (await isolated.sql`select distinct pid from worker_heartbeats`).length, { timeout: 30_000 })
      .toBe(2);

    const owner = "owner-two-workers";
    const schedule = await createSchedule(isolated.db, owner, {
      type: "demo.steps",
      input: { steps: 1, stepMs: 10 },
      cron: "* * * * * *",
      timezone: "UTC",
      concurrencyKey: null,
    });
    const firstFiring = schedule.nextRunAt as Date;
    await sleep(firstFiring.getTime() - Date.now() + 10_000 - 500);
    const paused = await updateSchedule(isolated.db, owner, schedule.id, { paused: true });
    expect(paused.lastFiredAt).not.toBeNull();
    const lastFiring = paused.lastFiredAt as Date;

    const runs = await isolated.sql<{ run_at: string; late_ms: number }[]>`
      select iso_time(run_at) as run_at, extract(epoch from created_at - run_at)::float8 * 1000 as late_ms
      from jobs where schedule_id = ${schedule.id} order by run_at`;
    // Every second from the first firing to the last made exactly one job: 10 of them, not 20.
    const seconds = (lastFiring.getTime() - firstFiring.getTime()) / 1000 + 1;
    expect(seconds).toBe(10);
    expect(runs.map((run) => run.run_at)).toEqual(
      Array.from({ length: 10 }, (_, index) => new Date(firstFiring.getTime() + index * 1000).toISOString()),
    );
    // Each made within a second of its time (a worker is told when the firing comes due, not left to its poll).
    for (const run of runs) expect(run.late_ms).toBeLessThan(1_000);
    // And each ran.
    await expect
      .poll(
        async () =>
          (
            await isolated.sql`select count(*)::int as n from jobs where schedule_id = ${schedule.id} and state = 'succeeded'`
          )[0]?.n,
        { timeout: 15_000 },
      )
      .toBe(10);
  } finally {
    await isolated.drop();
  }
});

test("firings missed while every worker was down make one catch-up run, not a flood; then it goes on", async ({
  sql,
}) => {
  test.setTimeout(120_000);
  const isolated = await isolatedDatabase(sql, "missed");
  try {
    const worker = isolated.startWorker(WORKER_ENV);
    await expect
      .poll(async () => (await isolated.sql`select count(*)::int as n from worker_heartbeats`)[0]?.n, {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    const owner = "owner-missed-firings";
    const schedule = await createSchedule(isolated.db, owner, {
      type: "demo.steps",
      input: { steps: 1, stepMs: 10 },
      cron: "* * * * * *",
      timezone: "UTC",
      concurrencyKey: null,
    });
    const runs = async () =>
      (await isolated.sql`select count(*)::int as n from jobs where schedule_id = ${schedule.id}`)[0]?.n as number;
    await expect.poll(runs, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);

    // Everything down for 6 s: six firings come and go with no worker to make them.
    worker.kill("SIGKILL");
    await new Promise((resolve) => worker.once("exit", resolve));
    const before = await runs();
    await sleep(6_000);
    expect(await runs()).toBe(before);

    isolated.startWorker(WORKER_ENV);
    // The first thing the new worker does for this schedule: one run for the missed firings, made late.
    await expect.poll(runs, { timeout: 30_000 }).toBeGreaterThan(before);
    const [catchUp] = await isolated.sql<{ late_ms: number }[]>`
      select extract(epoch from created_at - run_at)::float8 * 1000 as late_ms from jobs
      where schedule_id = ${schedule.id} order by run_at offset ${before} limit 1`;
    expect(catchUp?.late_ms).toBeGreaterThan(5_000);
    // Then a run a second, on time again: no second late one.
    await sleep(3_000);
    const late = await isolated.sql`
      select 1 from jobs where schedule_id = ${schedule.id} and created_at - run_at > interval '1 second'`;
    expect(late).toHaveLength(1);
    expect(await runs()).toBeGreaterThanOrEqual(before + 3);
  } finally {
    await isolated.drop();
  }
});
