import { once } from "node:events";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIRequestContext } from "@playwright/test";
import { SMTPServer } from "smtp-server";
import { uploads } from "@/db/schema";
import { submitJob } from "@/lib/jobs/lifecycle";
import { findJobType } from "@/lib/jobs/registry";
import { createApiUser } from "../support/api-user";
import { baseURL, countJobs, expect, type JobStatus, test } from "../support/fixtures";
import { isolatedDatabase } from "../support/isolated";

type MailboxItem = { jobId: string; to: string; subject: string; text: string; raw: string };

const csv = (text: string) => ({ name: "recipients.csv", mimeType: "text/csv", buffer: Buffer.from(text) });
const upload = (api: APIRequestContext, file: ReturnType<typeof csv>) =>
  api.post("/api/uploads", { multipart: { file } });

async function mailbox(api: APIRequestContext): Promise<MailboxItem[]> {
  const response = await api.get("/api/mailbox");
  expect(response.status()).toBe(200);
  return ((await response.json()) as { items: MailboxItem[] }).items;
}

test.describe("a job whose effect is its result (notify.email)", () => {
  test("succeeds on the status URI itself: 200, no 303, no result resource; the message is in the mailbox", async ({
    jobsApi,
    request,
    strangerApi,
  }) => {
    const job = await jobsApi.submitAccepted("notify.email", {
      to: "grace@example.com",
      subject: "Your export is ready",
      message: "Hello Grace,\nit is done.",
    });
    await jobsApi.waitForState(job.id, ["succeeded"]);

    const status = await jobsApi.status(job.id);
    expect(status.status()).toBe(200);
    const body = (await status.json()) as JobStatus;
    expect(body).toMatchObject({ state: "succeeded", result: { kind: "none" }, message: "Sent to grace@example.com" });
    expect(body.links.result).toBeUndefined();
    const result = await request.get(`/api/jobs/${job.id}/result`);
    expect(result.status()).toBe(404);
    expect(await result.json()).toMatchObject({ type: "/problems/no-result" });

    const [message] = (await mailbox(request)).filter((item) => item.jobId === job.id);
    expect(message).toMatchObject({
      to: "grace@example.com",
      subject: "Your export is ready",
      text: "Hello Grace,\nit is done.",
    });
    // The raw message is a real one, built by nodemailer.
    expect(message?.raw).toMatch(/^Subject: Your export is ready$/m);
    expect(message?.raw).toMatch(/^To: grace@example.com$/m);
    expect(message?.raw).toMatch(/^Message-ID: <.+>$/m);
    expect((await mailbox(strangerApi)).some((item) => item.jobId === job.id)).toBe(false);
  });
});

test.describe("POST /api/uploads", () => {
  test("rejects what a bulk email cannot use with a 4xx problem, and stores nothing", async ({
    request,
    owner,
    sql,
  }) => {
    const [before] = await sql`select count(*)::int as n from uploads where owner_id = ${owner.id}`;
    const cases: [string, () => Promise<import("@playwright/test").APIResponse>, number][] = [
      ["JSON instead of multipart", () => request.post("/api/uploads", { data: { file: "x" } }), 415],
      ["no file field", () => request.post("/api/uploads", { multipart: { note: "hello" } }), 422],
      ["no email column", () => upload(request, csv("name,phone\nAda,123\n")), 422],
      ["only a header", () => upload(request, csv("email,name\n")), 422],
      ["not UTF-8", () => upload(request, { ...csv(""), buffer: Buffer.from([0x65, 0x6d, 0xff, 0xfe, 0x0a]) }), 422],
      ["unbalanced quotes", () => upload(request, csv('email,name\n"ada@example.com,Ada\n')), 422],
      ["over 1 MiB", () => upload(request, csv(`email\n${"a@example.com\n".repeat(90_000)}`)), 413],
    ];
    for (const [name, send, status] of cases) {
      const response = await send();
      expect(response.status(), name).toBe(status);
      expect(response.headers()["content-type"], name).toContain("application/problem+json");
    }
    const [after] = await sql`select count(*)::int as n from uploads where owner_id = ${owner.id}`;
    expect(after?.n).toBe(before?.n);
  });

  test("one user's uploads are rate limited (30 a minute): 429 past it, stored nothing, others unaffected", async ({
    apiOf,
    request,
    sql,
  }) => {
    const flooder = await apiOf(await createApiUser(baseURL, "uploader"));
    const answers = [];
    for (let i = 0; i < 36; i++) answers.push(await upload(flooder, csv("email\na@example.com\n")));
    const statuses = answers.map((answer) => answer.status());
    expect(statuses.filter((status) => status === 201)).toHaveLength(30);
    expect(statuses.filter((status) => status === 429)).toHaveLength(6);
    const refused = answers.find((answer) => answer.status() === 429);
    expect(Number(refused?.headers()["retry-after"])).toBeGreaterThan(0);
    expect(await refused?.json()).toMatchObject({ type: "/problems/rate-limited", limit: "upload", max: 30 });
    const ids = await Promise.all(answers.filter((a) => a.status() === 201).map(async (a) => (await a.json()).id));
    const [stored] = await sql`select count(*)::int as n from uploads where id = any(${ids})`;
    expect(stored?.n).toBe(30);
    // Another user still uploads.
    expect((await upload(request, csv("email\nb@example.com\n"))).status()).toBe(201);
  });

  test("a third upload while two of the user's are in progress is a 429 at once", async ({ owner, sql }) => {
    const user = await createApiUser(baseURL, "parallel-uploader");
    // Two uploads whose bodies are still arriving.
    const boundary = "----held";
    const held = [0, 1].map(() => {
      const request = httpRequest(`${baseURL}/api/uploads`, {
        method: "POST",
        headers: { ...user.headers, "Content-Type": `multipart/form-data; boundary=${boundary}` },
      });
      const answer = new Promise<number>((resolve, reject) => {
        request.once("response", (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.once("error", reject);
      });
      request.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.csv"\r\n\r\nemail\n`);
      return { request, answer };
    });
    const third = async () => {
      const form = new FormData();
      form.set("file", new Blob(["email\nc@example.com\n"]), "r.csv");
      return fetch(`${baseURL}/api/uploads`, { method: "POST", headers: user.headers, body: form });
    };
    // Both are in the handler once both have been counted against the user's rate.
    await expect
      .poll(async () => (await sql`select hits from rate_limit_windows where key = ${`upload:${user.id}`}`)[0]?.hits)
      .toBe(2);
    const refused = await third();
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ type: "/problems/too-many-in-progress", max: 2 });
    // Another user is not held up by them.
    const form = new FormData();
    form.set("file", new Blob(["email\nd@example.com\n"]), "r.csv");
    expect((await fetch(`${baseURL}/api/uploads`, { method: "POST", headers: owner.headers, body: form })).status).toBe(
      201,
    );
    for (const { request } of held) request.end(`a@example.com\n\r\n--${boundary}--\r\n`);
    expect(await Promise.all(held.map(({ answer }) => answer))).toEqual([201, 201]);
    // With those done, the next is taken, once the refusal's Retry-After (1 s), which the server holds to, is over.
    await expect.poll(async () => (await third()).status, { intervals: [500] }).toBe(201);
  });

  test("past the stored-bytes quota (50 MiB) an upload is a 413 problem; the name shown is a safe one", async ({
    apiOf,
    sql,
  }) => {
    const user = await createApiUser(baseURL, "hoarder");
    const api = await apiOf(user);
    const named = await upload(api, { ...csv("email\na@example.com\n"), name: "../../etc/passwd" });
    expect(named.status()).toBe(201);
    expect((await named.json()).filename).toBe("passwd");
    // 50 MiB already stored (compressible, so it costs the database little).
    await sql`insert into uploads (owner_id, filename, content_type, content, columns, rows)
      values (${user.id}, 'big.csv', 'text/csv', convert_to(repeat('x', 50 * 1048576), 'UTF8'), '{email}', 1)`;
    const refused = await upload(api, csv("email\nb@example.com\n"));
    expect(refused.status()).toBe(413);
    expect(await refused.json()).toMatchObject({ type: "/problems/upload-quota-exceeded", quotaBytes: 50 * 1048576 });
    const [stored] = await sql`select count(*)::int as n from uploads where owner_id = ${user.id}`;
    expect(stored?.n).toBe(2);
  });
});

test.describe("bulk email from a CSV (email.bulk)", () => {
  test("sends one message per valid row, skips and reports the rest, and its result is the report", async ({
    jobsApi,
    request,
  }) => {
    const uploaded = await upload(
      request,
      csv("Email,Name\nada@example.com,Ada\nnot-an-address,Bob\nADA@example.com,Ada again\nlin@example.com,Lin\n"),
    );
    expect(uploaded.status()).toBe(201);
    const file = (await uploaded.json()) as { id: string; rows: number; columns: string[] };
    expect(file).toMatchObject({ rows: 4, columns: ["email", "name"] });

    const job = await jobsApi.submitAccepted("email.bulk", {
      recipients: file.id,
      subject: "Hello {{name}}",
      template: "Dear {{ name }},\nyour address is {{email}}.",
    });
    const done = await jobsApi.waitForState(job.id, ["succeeded", "failed"]);
    expect(done).toMatchObject({ state: "succeeded", progress: 100, message: "2 sent, 2 skipped, 0 failed" });
    expect(done.result).toMatchObject({ kind: "file", filename: "email-report.csv" });

    const report = await request.get(`/api/jobs/${job.id}/result`);
    expect(report.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    expect((await report.text()).trim().split("\n")).toEqual([
      "line,email,status,detail",
      "2,ada@example.com,sent,",
      "3,not-an-address,skipped,not an email address",
      "4,ADA@example.com,skipped,already sent to this address",
      "5,lin@example.com,sent,",
    ]);

    const sent = (await mailbox(request)).filter((item) => item.jobId === job.id);
    expect(sent.map((item) => [item.to, item.subject, item.text]).sort()).toEqual([
      ["ada@example.com", "Hello Ada", "Dear Ada,\nyour address is ada@example.com."],
      ["lin@example.com", "Hello Lin", "Dear Lin,\nyour address is lin@example.com."],
    ]);
  });

  test("naming someone else's upload is a 422 problem and writes nothing", async ({
    jobsApi,
    strangerApi,
    sql,
    owner,
  }) => {
    const theirs = (await (await upload(strangerApi, csv("email\nx@example.com\n"))).json()) as { id: string };
    const before = await countJobs(sql, owner.id);
    const response = await jobsApi.submit("email.bulk", { recipients: theirs.id, subject: "Hi", template: "Hi" });
    expect(response.status()).toBe(422);
    expect(await response.json()).toMatchObject({ errors: [{ path: ["input", "recipients"] }] });
    expect(await countJobs(sql, owner.id)).toBe(before);
  });
});

test("with SMTP_URL the worker sends through that SMTP server, and nothing goes to the mailbox", async ({ sql }) => {
  test.setTimeout(90_000);
  const received: { from: string; to: string[]; data: string }[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          data: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  smtp.listen(0, "127.0.0.1");
  await once(smtp.server, "listening");
  const { port } = smtp.server.address() as AddressInfo;

  const isolated = await isolatedDatabase(sql, "smtp");
  try {
    isolated.startWorker({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: "Accepted <jobs@accepted.test>" });
    const ownerId = "smtp-test-owner";
    const notify = findJobType("notify.email");
    const bulk = findJobType("email.bulk");
    if (!notify || !bulk) throw new Error("email job types are missing");

    const one = await submitJob(isolated.db, {
      jobType: notify,
      input: { to: "ops@example.com", subject: "Disk almost full", message: "90% used." },
      ownerId,
    });
    const [file] = await isolated.db
      .insert(uploads)
      .values({
        ownerId,
        filename: "r.csv",
        contentType: "text/csv",
        content: Buffer.from("email,name\nada@example.com,Ada\nlin@example.com,Lin\n"),
        columns: ["email", "name"],
        rows: 2,
      })
      .returning();
    const many = await submitJob(isolated.db, {
      jobType: bulk,
      input: { recipients: file?.id, subject: "Hi {{name}}", template: "Hello {{name}}" },
      ownerId,
    });

    for (const id of [one.job.id, many.job.id]) {
      await expect
        .poll(async () => (await isolated.sql`select state from jobs where id = ${id}`)[0]?.state, { timeout: 60_000 })
        .toBe("succeeded");
    }
    expect(received.map((mail) => mail.to).sort()).toEqual([
      ["ada@example.com"],
      ["lin@example.com"],
      ["ops@example.com"],
    ]);
    expect(received.every((mail) => mail.from === "jobs@accepted.test")).toBe(true);
    const toOps = received.find((mail) => mail.to[0] === "ops@example.com");
    expect(toOps?.data).toMatch(/^Subject: Disk almost full\r?$/m);
    expect(received.find((mail) => mail.to[0] === "lin@example.com")?.data).toContain("Hello Lin");
    expect(await isolated.sql`select 1 from mailbox_messages`).toHaveLength(0);
  } finally {
    await isolated.drop();
    smtp.close();
  }
});
