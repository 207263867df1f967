import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql as drizzleSql, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "@/db/schema";
import { jobEvents, jobOwnerQuotas } from "@/db/schema";
import { jobTimeline } from "@/lib/admin/timeline";
import {
  beginAttempts,
  completeJobs,
  recordAttemptFailure,
  recordProgress,
  startAttempt,
  submitJob,
  writeDeferredStarts,
} from "@/lib/jobs/lifecycle";
import { appendJobLogLines, type NewJobLogLine } from "@/lib/jobs/logs";
import { demoSteps } from "@/lib/jobs/types/demo-steps";
import { newOwner, readJob } from "./support";

/**
 * What a job costs the database, counted: the statements our code sends
 * (postgres.js's debug hook sees each one), the NOTIFY messages the change
 * feed sends, the timeline rows and the owner's counter. PostgreSQL is the
 * one part that does not scale out, so a saving here must not quietly go.
 */

const url = process.env.UNIT_DATABASE_URL;
if (!url) throw new Error("UNIT_DATABASE_URL is not set: run the unit tests with `npm run test:unit` or `npm test`.");
let statements = 0;
const client = postgres(url, { max: 2, onnotice: () => {}, debug: () => statements++ });
const db = drizzle(client, { schema });
const listener = postgres(url, { max: 1, onnotice: () => {} });

type Change = { id: string; state: string; version: number };
// Every NOTIFY message heard, in order (other test files share the database: cost() picks ours).
const messages: Change[][] = [];
const logMessages: { id: string; last: number }[][] = [];
before(async () => {
  // Connecting costs statements of its own (postgres.js reads the array types): both connections, first.
  await Promise.all([client`select pg_sleep(0.05)`, client`select pg_sleep(0.05)`]);
  await listener.listen("job_changes", (payload) => messages.push(JSON.parse(payload) as Change[]));
  await listener.listen("job_logs", (payload) => logMessages.push(JSON.parse(payload)));
});
after(async () => {
  await listener.end({ timeout: 5 });
  await client.end({ timeout: 5 });
});

/** The jobs' versions now, read on the listener's pool (its statements are not counted). */
async function versionsOf(ids: string[]): Promise<Map<string, number>> {
  const rows = await listener<{ id: string; version: number }[]>`
    select id, version from jobs where id = any(${ids.filter((id) => id !== "")}::uuid[])`;
  return new Map(rows.map((row) => [row.id, row.version]));
}

/**
 * Runs `work` and counts what it sent: statements, and the NOTIFY messages
 * about the writes it made to `ids`' jobs. A NOTIFY arrives after its commit,
 * at its own pace: it waits until each job's new version has been heard, and
 * leaves out what older writes sent, however late it came.
 */
async function cost(ids: () => string[], work: () => Promise<unknown>) {
  const versionsBefore = await versionsOf(ids());
  const from = messages.length;
  const statementsBefore = statements;
  await work();
  const sent = statements - statementsBefore;
  const versionsAfter = await versionsOf(ids());
  const isNew = (change: Change) =>
    versionsAfter.has(change.id) && change.version > (versionsBefore.get(change.id) ?? 0);
  const heard = () => messages.slice(from).flat().filter(isNew);
  const deadline = Date.now() + 10_000;
  for (const [id, version] of versionsAfter) {
    if (version === versionsBefore.get(id)) continue;
    while (!heard().some((change) => change.id === id && change.version === version)) {
      if (Date.now() > deadline) throw new Error(`the NOTIFY of ${id} at version ${version} never came`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  // A write the work should not have made would come in the same moments: give it one.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { statements: sent, messages: messages.slice(from).filter((changes) => changes.some(isNew)) };
}

const unfinishedOf = async (ownerId: string) =>
  (await db.select().from(jobOwnerQuotas).where(eq(jobOwnerQuotas.ownerId, ownerId)))[0]?.unfinished ?? 0;
const timelineRows = async (ids: string[]) =>
  (await db.select({ n: drizzleSql<number>`count(*)::int` }).from(jobEvents).where(inArray(jobEvents.jobId, ids)))[0]
    ?.n;

describe("what one job costs the database", () => {
  it("submit, begin, succeed: three statements, two NOTIFYs, two row versions, no timeline row", async () => {
    const ownerId = newOwner();
    let id = "";
    const submitted = await cost(
      () => [id],
      async () => {
        id = (await submitJob(db, { jobType: demoSteps, input: { steps: 1 }, ownerId })).job.id;
      },
    );
    assert.equal(submitted.statements, 1, "the submit is one statement (job row and queue entry together)");
    assert.deepEqual(
      submitted.messages.map((changes) => changes.map((change) => change.state)),
      [["queued"]],
    );
    assert.equal(await unfinishedOf(ownerId), 1);

    // A job that ends within the moment its start is deferred for writes no "running".
    const begun = await cost(
      () => [id],
      () => beginAttempts(db, [{ jobId: id, attempt: 1 }]),
    );
    assert.equal(begun.statements, 1, "the begin is one read");
    assert.deepEqual(begun.messages, [], "and tells nobody");

    const completed = await cost(
      () => [id],
      () => completeJobs(db, [{ jobId: id, attempt: 1, output: { kind: "none" }, deferredMs: 5 }]),
    );
    assert.equal(completed.statements, 1);
    assert.deepEqual(
      completed.messages.map((changes) => changes.map((change) => [change.state, change.version])),
      [[["succeeded", 2]]],
    );
    assert.equal(await unfinishedOf(ownerId), 0);
    assert.equal(await timelineRows([id]), 0, "a clean success stores no timeline rows");
    const timeline = await jobTimeline(db, await readJob(db, id));
    assert.deepEqual(
      timeline.map((entry) => [entry.state, entry.attempt]),
      [
        ["queued", 0],
        ["running", 1],
        ["succeeded", 1],
      ],
    );
  });

  it("a hundred begins, starts and completions: one statement each, and one NOTIFY per 40 jobs written", async () => {
    const owners = [newOwner(), newOwner()];
    const ids: string[] = [];
    for (let index = 0; index < 100; index++) {
      ids.push(
        (await submitJob(db, { jobType: demoSteps, input: { steps: 1 }, ownerId: owners[index % 2] ?? null })).job.id,
      );
    }
    const begun = await cost(
      () => ids,
      () =>
        beginAttempts(
          db,
          ids.map((jobId) => ({ jobId, attempt: 1 })),
        ),
    );
    assert.equal(begun.statements, 1);
    assert.deepEqual(begun.messages, []);
    // Attempts that outlive the moment write their starts together.
    const started = await cost(
      () => ids,
      () =>
        writeDeferredStarts(
          db,
          ids.map((jobId) => ({ jobId, attempt: 1, elapsedMs: 250 })),
        ),
    );
    assert.equal(started.statements, 1);
    assert.deepEqual(
      started.messages.map((changes) => changes.length),
      [40, 40, 20],
    );
    const completed = await cost(
      () => ids,
      () =>
        completeJobs(
          db,
          ids.map((jobId) => ({ jobId, attempt: 1, output: { kind: "none" as const } })),
        ),
    );
    assert.equal(completed.statements, 1);
    assert.equal(completed.messages.length, 3);
    assert.deepEqual(new Set(completed.messages.flat().map((change) => change.state)), new Set(["succeeded"]));
    assert.deepEqual(await Promise.all(owners.map(unfinishedOf)), [0, 0]);
    assert.equal(await timelineRows(ids), 0);
  });

  it("a failed attempt and the retry that follows are stored in the timeline, with why", async () => {
    const ownerId = newOwner();
    const { job } = await submitJob(db, { jobType: demoSteps, input: { steps: 1 }, ownerId });
    await startAttempt(db, job.id, 1);
    await recordAttemptFailure(db, job.id, 1, { message: "boom", cause: "failed", queueAttempt: 1 });
    // The second attempt is quick: its start is deferred, and recorded with its completion.
    await beginAttempts(db, [{ jobId: job.id, attempt: 2 }]);
    await completeJobs(db, [{ jobId: job.id, attempt: 2, output: { kind: "none" }, deferredMs: 5 }]);
    assert.equal(await timelineRows([job.id]), 2, "the failure and the second start");
    const timeline = await jobTimeline(db, await readJob(db, job.id));
    assert.deepEqual(
      timeline.map((entry) => [entry.state, entry.attempt, entry.detail]),
      [
        ["queued", 0, null],
        ["running", 1, null],
        ["queued", 1, "attempt 1 failed: boom"],
        ["running", 2, null],
        ["succeeded", 2, null],
      ],
    );
    assert.equal(await unfinishedOf(ownerId), 0);
  });

  it("a progress write: one statement, one NOTIFY at the next version, still running", async () => {
    const { job } = await submitJob(db, { jobType: demoSteps, input: { steps: 2 }, ownerId: newOwner() });
    await startAttempt(db, job.id, 1);
    const before = (await readJob(db, job.id)).version;
    const progressed = await cost(
      () => [job.id],
      () => recordProgress(db, job.id, 1, { percent: 50, message: "Step 1 of 2" }),
    );
    assert.equal(progressed.statements, 1);
    assert.deepEqual(
      progressed.messages.map((changes) => changes.map((change) => [change.state, change.version])),
      [[["running", before + 1]]],
      "the watchers of its progress bar hear it",
    );
  });

  it("a hundred log lines of three jobs: one statement, one NOTIFY job_logs naming each job's last line, no job row written", async () => {
    const owner = newOwner();
    const ids = await Promise.all(
      [1, 2, 3].map(
        async () => (await submitJob(db, { jobType: demoSteps, input: { steps: 1 }, ownerId: owner })).job.id,
      ),
    );
    const versions = await versionsOf(ids);
    const lines: NewJobLogLine[] = Array.from({ length: 100 }, (_, index) => ({
      jobId: ids[index % 3] ?? "",
      attempt: 1,
      at: new Date(),
      level: "info",
      message: `line ${index}`,
      fields: { index },
    }));
    const from = logMessages.length;
    const before = statements;
    await appendJobLogLines(db, lines);
    assert.equal(statements - before, 1);
    const deadline = Date.now() + 5_000;
    while (!logMessages.slice(from).some((message) => message.some((entry) => ids.includes(entry.id)))) {
      if (Date.now() > deadline) throw new Error("no NOTIFY job_logs came");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const ours = logMessages.slice(from).filter((message) => message.some((entry) => ids.includes(entry.id)));
    assert.equal(ours.length, 1, "one message for the statement");
    const rows = await listener<{ job_id: string; last: number }[]>`
      select job_id, max(id)::int as last from job_logs where job_id = any(${ids}::uuid[]) group by job_id`;
    assert.deepEqual(
      new Map(ours[0]?.map((entry) => [entry.id, entry.last])),
      new Map(rows.map((row) => [row.job_id, row.last])),
    );
    assert.deepEqual(await versionsOf(ids), versions, "the jobs' rows are not written");
  });
});
