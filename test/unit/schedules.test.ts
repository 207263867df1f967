import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { eq, sql } from "drizzle-orm";
import { jobs, schedules } from "@/db/schema";
import { InvalidInput } from "@/lib/errors";
import { cancelJob, releaseScheduled, submitJob } from "@/lib/jobs/lifecycle";
import { demoSteps } from "@/lib/jobs/types/demo-steps";
import { FIRE_SCHEDULE_TASK, RELEASE_SCHEDULED_TASK } from "@/lib/queue/graphile-worker";
import { checkTiming, nextFirings } from "@/lib/schedules/cron";
import { fireSchedule } from "@/lib/schedules/fire";
import { createSchedule, requireSchedule, updateSchedule } from "@/lib/schedules/schedules";
import { newOwner, queueEntry, unitDatabase } from "./support";

const { db, close } = unitDatabase();
after(close);

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

describe("a schedule's firings", () => {
  it("fire once at 03:00 when a spring-forward day skips 02:30", () => {
    // New York, 14 March 2027: 02:00 EST becomes 03:00 EDT.
    const firings = nextFirings("30 2 * * *", "America/New_York", new Date("2027-03-13T12:00:00Z"), 3);
    assert.deepEqual(iso(firings), [
      "2027-03-14T07:00:00.000Z", // 03:00 EDT, when the clock jumps past 02:30
      "2027-03-15T06:30:00.000Z", // 02:30 EDT
      "2027-03-16T06:30:00.000Z",
    ]);
  });

  it("fire once, the first time, when a fall-back day repeats 01:30", () => {
    // New York, 7 November 2027: 02:00 EDT becomes 01:00 EST, so 01:30 happens twice (05:30Z and 06:30Z).
    const firings = nextFirings("30 1 * * *", "America/New_York", new Date("2027-11-06T12:00:00Z"), 3);
    assert.deepEqual(iso(firings), [
      "2027-11-07T05:30:00.000Z",
      "2027-11-08T06:30:00.000Z",
      "2027-11-09T06:30:00.000Z",
    ]);
  });

  it("keep an hourly schedule hourly across a fall-back: both 01:00s fire", () => {
    const firings = nextFirings("0 * * * *", "America/New_York", new Date("2027-11-07T04:30:00Z"), 3);
    assert.deepEqual(iso(firings), [
      "2027-11-07T05:00:00.000Z",
      "2027-11-07T06:00:00.000Z",
      "2027-11-07T07:00:00.000Z",
    ]);
  });

  it("take six fields with seconds first", () => {
    const firings = nextFirings("*/20 * * * * *", "UTC", new Date("2027-01-01T00:00:05Z"), 3);
    assert.deepEqual(iso(firings), [
      "2027-01-01T00:00:20.000Z",
      "2027-01-01T00:00:40.000Z",
      "2027-01-01T00:01:00.000Z",
    ]);
  });
});

describe("checkTiming", () => {
  const refused = (cron: string, timezone: string, path: string) => {
    assert.throws(
      () => checkTiming(cron, timezone),
      (error: unknown) => error instanceof InvalidInput && error.issues[0]?.path[0] === path,
      `${cron} in ${timezone}`,
    );
  };
  it("takes IANA zones by their canonical name", () => {
    assert.deepEqual(checkTiming(" 0 9 * * MON-FRI ", "utc"), { cron: "0 9 * * MON-FRI", timezone: "UTC" });
    assert.equal(checkTiming("0 9 * * *", "Europe/Paris").timezone, "Europe/Paris");
  });
  it("refuses an unknown zone, an offset, a cron it cannot read, and one that never fires", () => {
    refused("0 9 * * *", "Mars/Olympus", "timezone");
    refused("0 9 * * *", "+01:00", "timezone");
    refused("0 9 * * *", "", "timezone");
    refused("61 * * * *", "UTC", "cron");
    refused("every day", "UTC", "cron");
    refused("0 0 30 2 *", "UTC", "cron");
    refused("0 0 0 1 1 * 2020", "UTC", "cron");
    // More often than SCHEDULE_MIN_INTERVAL_SECONDS (10 s unless set), however it is written.
    refused("*/5 * * * * *", "UTC", "cron");
    refused("0,1 * * * * *", "UTC", "cron");
    assert.equal(checkTiming("*/10 * * * * *", "UTC").cron, "*/10 * * * * *");
  });
});

describe("fireSchedule", () => {
  const spec = (extra: Partial<{ cron: string; concurrencyKey: string | null }> = {}) => ({
    type: "demo.steps",
    input: { steps: 1 },
    cron: "0 * * * * *",
    timezone: "UTC",
    concurrencyKey: null,
    ...extra,
  });
  /** Makes the schedule's next firing `at`, as if it had been due then. */
  const dueAt = async (id: string, at: Date) => {
    await db.update(schedules).set({ nextRunAt: at }).where(eq(schedules.id, id));
  };
  const runsOf = (id: string) => db.select().from(jobs).where(eq(jobs.scheduleId, id));
  const firingEntry = async (id: string) => {
    const [row] = await db.execute<{ run_at: Date; payload: { at: string } }>(
      sql`select j.run_at, j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
          where j.key = ${`schedule:${id}`} and t.identifier = ${FIRE_SCHEDULE_TASK}`,
    );
    return row ?? null;
  };

  it("makes one job for a firing however often it is fired, and queues the next", async () => {
    const owner = newOwner();
    const schedule = await createSchedule(db, owner, spec());
    assert.ok(schedule.nextRunAt && schedule.nextRunAt > new Date());
    assert.equal((await firingEntry(schedule.id))?.payload.at, schedule.nextRunAt?.toISOString());

    const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000);
    await dueAt(schedule.id, at);
    const [first, second] = await Promise.all([fireSchedule(db, schedule.id, at), fireSchedule(db, schedule.id, at)]);
    assert.deepEqual([first, second].sort(), ["created", null].sort());
    const runs = await runsOf(schedule.id);
    assert.equal(runs.length, 1);
    assert.equal(runs[0]?.state, "queued");
    assert.equal(runs[0]?.runAt?.getTime(), at.getTime());
    assert.equal(runs[0]?.ownerId, owner);

    const moved = await requireSchedule(db, owner, schedule.id);
    assert.equal(moved.lastFiredAt?.getTime(), at.getTime());
    assert.equal(moved.lastJobId, runs[0]?.id);
    assert.equal(moved.lastOutcome, "created");
    assert.ok(moved.nextRunAt && moved.nextRunAt > at);
    assert.equal((await firingEntry(schedule.id))?.payload.at, moved.nextRunAt?.toISOString());
  });

  it("after firings were missed, makes one run and goes on from now", async () => {
    const owner = newOwner();
    const schedule = await createSchedule(db, owner, spec());
    const anHourAgo = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000);
    await dueAt(schedule.id, anHourAgo);
    assert.equal(await fireSchedule(db, schedule.id, anHourAgo), "created");
    assert.equal((await runsOf(schedule.id)).length, 1);
    const moved = await requireSchedule(db, owner, schedule.id);
    // Not the minute after the missed one (59 more would follow at once): the first after now.
    assert.ok(moved.nextRunAt && moved.nextRunAt.getTime() > Date.now() - 1_000);
    assert.ok(moved.nextRunAt && moved.nextRunAt.getTime() <= Date.now() + 60_000);
  });

  it("with a concurrency key, a firing while the last run is unfinished makes no second job", async () => {
    const owner = newOwner();
    const schedule = await createSchedule(db, owner, spec({ concurrencyKey: "nightly" }));
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 2000);
    await dueAt(schedule.id, at);
    assert.equal(await fireSchedule(db, schedule.id, at), "created");
    const later = new Date(at.getTime() + 1000);
    await dueAt(schedule.id, later);
    assert.equal(await fireSchedule(db, schedule.id, later), "already-running");
    const runs = await runsOf(schedule.id);
    assert.equal(runs.length, 1);
    assert.equal((await requireSchedule(db, owner, schedule.id)).lastJobId, runs[0]?.id);
  });

  it("does nothing for a paused schedule; pausing takes its firing off the queue, resuming counts from now", async () => {
    const owner = newOwner();
    const schedule = await createSchedule(db, owner, spec());
    const paused = await updateSchedule(db, owner, schedule.id, { paused: true });
    assert.equal(paused.nextRunAt, null);
    assert.equal(await firingEntry(schedule.id), null);
    assert.equal(await fireSchedule(db, schedule.id, schedule.nextRunAt as Date), null);
    assert.equal((await runsOf(schedule.id)).length, 0);
    const resumed = await updateSchedule(db, owner, schedule.id, { paused: false });
    assert.ok(resumed.nextRunAt && resumed.nextRunAt > new Date());
    assert.equal((await firingEntry(schedule.id))?.payload.at, resumed.nextRunAt?.toISOString());
  });

  it("a new cron is checked, and its zone made canonical", async () => {
    const owner = newOwner();
    const schedule = await createSchedule(db, owner, spec());
    await assert.rejects(updateSchedule(db, owner, schedule.id, { cron: "0 0 30 2 *" }), InvalidInput);
    const changed = await updateSchedule(db, owner, schedule.id, { cron: "0 0 9 * * *", timezone: "europe/paris" });
    assert.equal(changed.timezone, "Europe/Paris");
    assert.equal(changed.nextRunAt?.getUTCSeconds(), 0);
  });
});

describe("releaseScheduled", () => {
  it("moves a scheduled job to queued with the round of now, and puts its own entry in its release's place", async () => {
    const owner = newOwner();
    const { job } = await submitJob(db, {
      jobType: demoSteps,
      input: { steps: 1 },
      ownerId: owner,
      runAt: { inSeconds: 3_600 },
    });
    assert.equal(job.state, "scheduled");
    assert.ok(job.runAt && Math.abs(job.runAt.getTime() - Date.now() - 3_600_000) < 5_000);
    assert.equal((await queueEntry(db, job.id))?.task_identifier, RELEASE_SCHEDULED_TASK);
    // Its release's time comes (moved here rather than waited for).
    await db.update(jobs).set({ priority: 1_000_000 }).where(eq(jobs.id, job.id));
    assert.equal(await releaseScheduled(db, job.id), true);
    const [released] = await db.select().from(jobs).where(eq(jobs.id, job.id));
    assert.equal(released?.state, "queued");
    // Not the priority it was given at its submit: the round being served now (its owner has no other job).
    assert.ok((released?.priority ?? Number.POSITIVE_INFINITY) < 1_000_000);
    const entry = await queueEntry(db, job.id);
    assert.equal(entry?.task_identifier, "demo.steps");
    assert.equal(await releaseScheduled(db, job.id), false);
  });

  it("leaves a job cancelled meanwhile as it is, its release gone with it", async () => {
    const owner = newOwner();
    const { job } = await submitJob(db, {
      jobType: demoSteps,
      input: { steps: 1 },
      ownerId: owner,
      runAt: { inSeconds: 60 },
    });
    await cancelJob(db, { ownerId: owner }, job.id, { actor: { id: owner, email: "o@example.com" } });
    assert.equal(await queueEntry(db, job.id), null);
    assert.equal(await releaseScheduled(db, job.id), false);
  });
});
