import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import { eq, sql } from "drizzle-orm";
import { mailboxMessages, users, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import {
  beginAttempts,
  cancelJob,
  completeJob,
  expireJobs,
  recordAttemptFailure,
  recordProgress,
  startAttempt,
  submitJob,
} from "@/lib/jobs/lifecycle";
import { everyOwner } from "@/lib/jobs/queries";
import { fromStatusSnapshot, type JobStatusSnapshot, toJobStatus } from "@/lib/jobs/representation";
import { demoSteps } from "@/lib/jobs/types/demo-steps";
import { tellEndpointDisabled } from "@/lib/mail/notices";
import { afterAttempt, type Disabled, deliverChain } from "@/lib/webhooks/chain";
import { addressRefusal, checkUrlForm } from "@/lib/webhooks/destination";
import { sendMessage } from "@/lib/webhooks/send";
import { newOwner, readJob, unitDatabase } from "./support";

const { db, close } = unitDatabase();
after(close);

const allowPrivate = { allowPrivate: true, allowedHosts: [] };
const productionPolicy = { allowPrivate: false, allowedHosts: [] };

/** A receiver on this machine answering every request with `status`; counts what it got. */
async function receiver(status: number): Promise<{ url: string; received: string[]; server: Server }> {
  const received: string[] = [];
  const server = createServer((request, response) => {
    received.push(request.headers["webhook-id"] as string);
    response.writeHead(status).end("answer");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, server };
}

async function endpointFor(ownerId: string, url: string, values: Partial<typeof webhookEndpoints.$inferInsert> = {}) {
  const [endpoint] = await db
    .insert(webhookEndpoints)
    .values({ ownerId, url, events: ["job.succeeded"], secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", ...values })
    .returning();
  assert.ok(endpoint);
  return endpoint;
}

describe("where webhooks may go", () => {
  it("refuses every special address, IPv4 written as IPv6 included, and allows public ones", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.0.1",
      "169.254.169.254",
      "100.100.100.200",
    ]) {
      assert.ok(addressRefusal(address), address);
    }
    for (const address of ["::1", "::", "fe80::1", "fd00:ec2::254", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "0.0.0.0"]) {
      assert.ok(addressRefusal(address), address);
    }
    // IPv4-compatible (::/96, deprecated), NAT64, site-local and discard-only forms: nothing outside 2000::/3.
    for (const address of ["::7f00:1", "::a00:1", "::a9fe:a9fe", "64:ff9b::7f00:1", "fec0::1", "100::1"]) {
      assert.ok(addressRefusal(address), address);
    }
    for (const address of ["93.184.216.34", "8.8.8.8", "2606:2800:220:1:248:1893:25c8:1946"]) {
      assert.equal(addressRefusal(address), null, address);
    }
  });

  it("allows plain http only where the operator does", () => {
    assert.throws(() => checkUrlForm("http://example.com/hook", productionPolicy), /https/);
    assert.equal(checkUrlForm("http://example.com/hook", allowPrivate).host, "example.com");
    const vouched = { allowPrivate: false, allowedHosts: ["hooks.internal:8080"] };
    assert.equal(checkUrlForm("http://hooks.internal:8080/x", vouched).host, "hooks.internal:8080");
    assert.throws(() => checkUrlForm("http://hooks.internal:9090/x", vouched), /https/);
  });

  it("takes 443, 80 and ports from 1024 up; never port 0, nor another privileged port unless vouched for", () => {
    for (const url of ["https://example.com/x", "https://example.com:443/x", "https://example.com:8443/x"]) {
      assert.equal(checkUrlForm(url, productionPolicy).href, new URL(url).href);
    }
    for (const url of ["https://example.com:22/x", "https://example.com:25/x", "https://example.com:1023/x"]) {
      assert.throws(() => checkUrlForm(url, productionPolicy), /port \d+ is not for webhooks/, url);
    }
    assert.throws(() => checkUrlForm("https://example.com:0/x", productionPolicy), /port 0/);
    assert.throws(() => checkUrlForm("https://example.com:0/x", allowPrivate), /port 0/);
    const vouched = { allowPrivate: false, allowedHosts: ["mail.internal:25"] };
    assert.equal(checkUrlForm("https://mail.internal:25/x", vouched).port, "25");
  });

  it("refuses a delivery to a port or address the policy no longer allows, without connecting", async () => {
    for (const url of ["https://[::7f00:1]/hook", "https://93.184.216.34:22/hook"]) {
      const outcome = await sendMessage(
        new URL(url),
        { id: "msg_1", timestamp: new Date(), body: "{}" },
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        productionPolicy,
      );
      assert.equal(outcome.ok, false, url);
      assert.match(outcome.error ?? "", /reserved IPv6|port 22/, url);
      assert.equal(outcome.durationMs, 0, url);
    }
  });

  it("checks the address again when it connects: a name now resolving to loopback gets nothing", async () => {
    const { url, received, server } = await receiver(200);
    try {
      // localhost stands for a public name whose DNS changed since the endpoint was saved.
      const port = new URL(url).port;
      const outcome = await sendMessage(
        new URL(`http://localhost:${port}/hook`),
        { id: "msg_1", timestamp: new Date(), body: "{}" },
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        productionPolicy,
      );
      assert.equal(outcome.ok, false);
      assert.match(outcome.error ?? "", /resolves to .* loopback/);
      assert.deepEqual(received, []);
    } finally {
      server.close();
    }
  });
});

describe("an attempt", () => {
  it("keeps the start of whatever the receiver answered, as storable text", async () => {
    const server = createServer((_request, response) =>
      response.writeHead(500).end(Buffer.from("bad\0bytes \xff", "latin1")),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      const outcome = await sendMessage(
        url,
        { id: "msg_2", timestamp: new Date(), body: "{}" },
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        allowPrivate,
      );
      assert.equal(outcome.status, 500);
      assert.equal(outcome.responseStart?.includes("\0"), false);
      assert.match(outcome.responseStart ?? "", /^bad.bytes /);
    } finally {
      server.close();
    }
  });
});

describe("retries", () => {
  it("grow from seconds to hours, and end after eleven attempts, about a day", () => {
    const failed = { ok: false, status: 500, durationMs: 1, responseStart: null, error: "answered 500" };
    // What a receiver that is down sees: the wait before each next attempt.
    const waits = Array.from({ length: 11 }, (_, index) => afterAttempt(index + 1, failed).retryInS);
    assert.deepEqual(waits, [2, 10, 60, 300, 1_800, 3_600, 7_200, 14_400, 28_800, 28_800, null]);
    assert.deepEqual(afterAttempt(10, failed), { state: "pending", retryInS: 28_800 });
    assert.deepEqual(afterAttempt(11, failed), { state: "failed", retryInS: null });
    assert.deepEqual(afterAttempt(3, { ...failed, ok: true, status: 200 }), { state: "delivered", retryInS: null });
  });
});

describe("the trigger that queues deliveries", () => {
  it("writes one for each of the owner's enabled endpoints that wants the event, and queues its chain", async () => {
    const ownerId = newOwner();
    const wanting = await endpointFor(ownerId, "https://example.com/a");
    const progressToo = await endpointFor(ownerId, "https://example.com/b", {
      events: ["job.progress", "job.succeeded"],
    });
    await endpointFor(ownerId, "https://example.com/c", { enabled: false });
    await endpointFor(ownerId, "https://example.com/d", { jobTypes: ["jobs.export"] });
    await endpointFor(newOwner(), "https://example.com/someone-else");

    const submitted = await submitJob(db, { jobType: demoSteps, input: { steps: 2 }, ownerId });
    const job = submitted.job;
    await startAttempt(db, job.id, 1);
    await recordProgress(db, job.id, 1, { percent: 50 });
    await completeJob(db, { jobId: job.id, attempt: 1, output: { kind: "json", value: {} } });

    const deliveries = await db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.jobId, job.id))
      .orderBy(webhookDeliveries.sequence);
    // The progress first; the two endpoints' succeeded in either order.
    const described = deliveries.map(
      (delivery) => `${delivery.endpointId} ${delivery.event} ${delivery.payload.state}`,
    );
    assert.equal(described[0], `${progressToo.id} job.progress running`);
    assert.deepEqual(
      described.slice(1).sort(),
      [`${wanting.id} job.succeeded succeeded`, `${progressToo.id} job.succeeded succeeded`].sort(),
    );
    const queued = await db.execute<{ key: string }>(
      sql`select key from graphile_worker._private_jobs where key like ${`webhook:%:${job.id}`} order by key`,
    );
    assert.deepEqual(
      queued.map((row) => row.key).sort(),
      [`webhook:${progressToo.id}:${job.id}`, `webhook:${wanting.id}:${job.id}`].sort(),
    );
  });
});

describe("a delivery's payload", () => {
  it("is the job's status representation as the API shows it, built in SQL, for jobs in every state", async () => {
    const ownerId = newOwner();
    const submit = async () =>
      (await submitJob(db, { jobType: demoSteps, input: { steps: 2, note: "ö ✓" }, ownerId })).job;
    const queued = await submit();
    const running = await submit();
    await startAttempt(db, running.id, 1);
    await recordProgress(db, running.id, 1, { percent: 40, message: "Step 1 of 2" });
    const withJson = await submit();
    await beginAttempts(db, [{ jobId: withJson.id, attempt: 1 }]);
    await completeJob(db, {
      jobId: withJson.id,
      attempt: 1,
      output: { kind: "json", value: { rows: 3 } },
      deferredMs: 7,
    });
    const withFile = await submit();
    await startAttempt(db, withFile.id, 1);
    const file = { kind: "file" as const, filename: "r.csv", contentType: "text/csv", content: Buffer.from("a,b") };
    await completeJob(db, { jobId: withFile.id, attempt: 1, output: file });
    const failed = await submit();
    await startAttempt(db, failed.id, 1);
    await recordAttemptFailure(db, failed.id, 1, {
      message: "boom",
      cause: "failed",
      finalProblem: { type: "/problems/job-failed", title: "The job failed", status: 500, detail: "boom" },
    });
    const cancelled = await submit();
    await cancelJob(db, everyOwner, cancelled.id, { actor: { id: "admin", email: "admin@example.com" } });
    const expired = await submit();
    await startAttempt(db, expired.id, 1);
    await completeJob(db, { jobId: expired.id, attempt: 1, output: { kind: "none" } });
    await expireJobs(db, { id: expired.id, auditedAs: { id: "admin", email: "admin@example.com" } });

    for (const job of [queued, running, withJson, withFile, failed, cancelled, expired]) {
      const [row] = await db.execute<{ snapshot: JobStatusSnapshot }>(
        sql`select job_status_snapshot(j) as snapshot from jobs j where j.id = ${job.id}`,
      );
      assert.ok(row);
      assert.deepEqual(fromStatusSnapshot(row.snapshot), toJobStatus(await readJob(db, job.id)), job.id);
    }
  });
});

describe("a chain's delivery", () => {
  async function finishedJobFor(ownerId: string) {
    const { job } = await submitJob(db, { jobType: demoSteps, input: { steps: 1 }, ownerId });
    await startAttempt(db, job.id, 1);
    await completeJob(db, { jobId: job.id, attempt: 1, output: { kind: "json", value: {} } });
    return job;
  }

  it("disables an endpoint that has failed for three days, tells its owner once by mail, and keeps the message", async () => {
    const { url, received, server } = await receiver(500);
    try {
      const ownerId = newOwner();
      await db.insert(users).values({ id: ownerId, name: "Owner", email: `${ownerId}@example.com` });
      const endpoint = await endpointFor(ownerId, url, { failingSince: new Date(Date.now() - 4 * 86_400_000) });
      const job = await finishedJobFor(ownerId);
      const options = { policy: allowPrivate, onDisabled: (disabled: Disabled) => tellEndpointDisabled(db, disabled) };
      await deliverChain(db, endpoint.id, job.id, options);
      assert.equal(received.length, 1);
      const [after] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
      assert.equal(after?.enabled, false);
      assert.match(after?.disabledReason ?? "", /failed for 3 days.*answered 500/);
      const told = () => db.select().from(mailboxMessages).where(eq(mailboxMessages.ownerId, ownerId));
      const [notice] = await told();
      assert.equal(notice?.subject, "Your webhook endpoint was disabled");
      assert.equal(notice?.to, `${ownerId}@example.com`);
      assert.equal(notice?.jobId, null);
      assert.match(notice?.text ?? "", new RegExp(`/settings/webhooks/${endpoint.id}`));
      const [delivery] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
      assert.equal(delivery?.state, "pending");
      // Disabled, its messages wait: nothing more is sent, and nobody is told twice.
      await db
        .update(webhookDeliveries)
        .set({ nextAttemptAt: new Date() })
        .where(eq(webhookDeliveries.endpointId, endpoint.id));
      await deliverChain(db, endpoint.id, job.id, options);
      assert.equal(received.length, 1);
      assert.equal((await told()).length, 1);
    } finally {
      server.close();
    }
  });

  it("a success clears the endpoint's failure record, and a failure before three days only records it", async () => {
    const failing = await receiver(503);
    const working = await receiver(204);
    try {
      const ownerId = newOwner();
      const endpoint = await endpointFor(ownerId, failing.url, { failingSince: new Date(Date.now() - 86_400_000) });
      const options = { policy: allowPrivate, onDisabled: async () => assert.fail("not disabled") };
      const first = await finishedJobFor(ownerId);
      await deliverChain(db, endpoint.id, first.id, options);
      const [stillOn] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
      assert.equal(stillOn?.enabled, true);
      assert.ok(stillOn?.failingSince);

      await db.update(webhookEndpoints).set({ url: working.url }).where(eq(webhookEndpoints.id, endpoint.id));
      await db
        .update(webhookDeliveries)
        .set({ nextAttemptAt: new Date() })
        .where(eq(webhookDeliveries.endpointId, endpoint.id));
      await deliverChain(db, endpoint.id, first.id, options);
      const [recovered] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
      assert.equal(recovered?.failingSince, null);
      // The same message both times.
      assert.equal(failing.received[0], working.received[0]);
    } finally {
      failing.server.close();
      working.server.close();
    }
  });
});
