import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { Outbox } from "@/lib/http/realtime/outbox";
import { newOwner, unitDatabase } from "./support";

// The job feed LISTENs through lib/db, which reads DATABASE_URL.
process.env.DATABASE_URL = process.env.UNIT_DATABASE_URL;
const { jobFeed } = await import("@/lib/change-feed/job-feed");
const { startAttempt, submitJob } = await import("@/lib/jobs/lifecycle");
const { demoSteps } = await import("@/lib/jobs/types/demo-steps");
const { closeDb } = await import("@/lib/db");

const { db, close } = unitDatabase();
after(async () => {
  await close();
  await closeDb();
});

/** A wire whose client reads only when told to. */
function slowWire() {
  const written: string[] = [];
  let unread = 0;
  let overflowed = false;
  return {
    written,
    get overflowed() {
      return overflowed;
    },
    wire: {
      write: (text: string) => {
        written.push(text);
        unread += text.length;
      },
      buffered: () => unread,
      overflow: () => {
        overflowed = true;
      },
    },
    readAll: () => {
      unread = 0;
    },
  };
}

describe("Outbox", () => {
  it("sends at once while the client keeps up", () => {
    const client = slowWire();
    const outbox = new Outbox(client.wire);
    outbox.send("a", "job-1");
    client.readAll();
    outbox.send("b", "job-1");
    assert.deepEqual(client.written, ["a", "b"]);
  });

  it("while the client is behind, keeps only the latest message per job, then sends it once the client reads", async () => {
    const client = slowWire();
    const outbox = new Outbox(client.wire);
    outbox.send("x".repeat(70 * 1024), "big"); // past the soft limit: the client is behind
    for (let version = 1; version <= 50; version++) outbox.send(`job-1 v${version}`, "job-1");
    outbox.send("job-2 v1", "job-2");
    outbox.send(": heartbeat"); // keyless: dropped while behind
    assert.equal(outbox.waitingCount, 2);
    assert.equal(client.written.length, 1);
    client.readAll();
    await sleep(120);
    assert.deepEqual(client.written.slice(1), ["job-1 v50", "job-2 v1"]);
    outbox.close();
  });

  it("cuts off a client that falls behind on too many jobs, and then writes nothing", () => {
    const client = slowWire();
    const outbox = new Outbox(client.wire);
    outbox.send("x".repeat(70 * 1024), "big");
    for (let job = 0; job < 300 && !client.overflowed; job++) outbox.send(`job-${job}`, `job-${job}`);
    assert.equal(client.overflowed, true);
    assert.equal(outbox.waitingCount, 0);
    client.readAll();
    outbox.send("after", "job-0");
    assert.equal(client.written.length, 1);
  });

  it("flushAll writes what waits, for a stream the server is ending", () => {
    const client = slowWire();
    const outbox = new Outbox(client.wire);
    outbox.send("x".repeat(70 * 1024), "big");
    outbox.send("final state", "job-1");
    outbox.flushAll();
    assert.deepEqual(client.written.slice(1), ["final state"]);
    outbox.close();
  });
});

describe("jobFeed fan-out", () => {
  it("hands a change only to the listeners of its job, its owner and every job, each once", async () => {
    const feed = jobFeed();
    await feed.start();
    const owner = newOwner();
    const { job } = await submitJob(db, { jobType: demoSteps, input: { steps: 1 }, ownerId: owner });
    const heard = { job: 0, owner: 0, both: 0, every: 0, unrelated: 0 };
    const listener = (name: keyof typeof heard) => ({
      // The start's change (the submit's may still be on its way).
      change: (change: { id: string; state: string }) => {
        if (change.id === job.id && change.state === "running") heard[name]++;
      },
      resync: () => {},
    });
    const subscriptions = [
      feed.subscribe({ jobIds: [job.id] }, listener("job")),
      feed.subscribe({ ownerId: owner }, listener("owner")),
      feed.subscribe({ jobIds: [job.id], ownerId: owner }, listener("both")),
      feed.subscribe({ everyJob: true }, listener("every")),
      // Many subscribers of other owners' jobs, which must hear nothing of this one.
      ...Array.from({ length: 1_000 }, () => feed.subscribe({ ownerId: newOwner() }, listener("unrelated"))),
    ];
    assert.equal(feed.subscribers, 1_004);
    await startAttempt(db, job.id, 1);
    await waitUntil(() => heard.every > 0);
    await sleep(50);
    assert.deepEqual(heard, { job: 1, owner: 1, both: 1, every: 1, unrelated: 0 });

    for (const subscription of subscriptions) subscription.close();
    assert.equal(feed.subscribers, 0);
  });

  it("follows a subscription as it grows and shrinks", async () => {
    const feed = jobFeed();
    await feed.start();
    const owner = newOwner();
    const first = (await submitJob(db, { jobType: demoSteps, input: { steps: 1 }, ownerId: owner })).job;
    const second = (await submitJob(db, { jobType: demoSteps, input: { steps: 1 }, ownerId: owner })).job;
    const heard: string[] = [];
    const subscription = feed.subscribe(
      {},
      {
        change: (change) => {
          if (change.state === "running") heard.push(change.id);
        },
        resync: () => {},
      },
    );
    subscription.watchJob(first.id);
    subscription.watchJob(second.id);
    subscription.unwatchJob(first.id);
    assert.equal(subscription.watchedJobs, 1);
    await startAttempt(db, first.id, 1);
    await startAttempt(db, second.id, 1);
    await waitUntil(() => heard.length > 0);
    await sleep(50);
    assert.deepEqual(heard, [second.id]);
    subscription.close();
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(10);
  }
}
