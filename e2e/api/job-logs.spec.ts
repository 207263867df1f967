import type { APIRequestContext } from "@playwright/test";
import { baseURL, expect, test } from "../support/fixtures";
import { SseClient } from "../support/sse-client";
import { SocketClient } from "../support/ws-client";

interface LogLine {
  id: number;
  at: string;
  level: "debug" | "info" | "warn" | "error";
  message: string;
  fields: Record<string, unknown> | null;
  attempt: number;
}
interface LogPage {
  items: LogLine[];
  links: { next: string | null };
}

async function page(api: APIRequestContext, path: string, headers: Record<string, string> = {}): Promise<LogPage> {
  const response = await api.get(path, { headers });
  expect(response.status(), await response.text()).toBe(200);
  expect(response.headers()["content-type"]).toContain("application/json");
  return (await response.json()) as LogPage;
}

/** Every line, following links.next until it is null (the job finished and everything read). */
async function readAll(api: APIRequestContext, path: string): Promise<{ lines: LogLine[]; pages: number }> {
  const lines: LogLine[] = [];
  let next: string | null = path;
  let pages = 0;
  while (next) {
    const current = await page(api, next);
    lines.push(...current.items);
    next = current.links.next;
    pages++;
    if (pages > 50) throw new Error("links.next never ended");
  }
  return { lines, pages };
}

test.describe("GET /api/jobs/{id}/logs", () => {
  test("a finished job's log: its handler's lines, oldest first, in pages that end", async ({ jobsApi, request }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 3, stepMs: 50 });
    await jobsApi.waitForState(job.id, ["succeeded"]);
    const { lines, pages } = await readAll(request, `/api/jobs/${job.id}/logs?limit=2`);
    expect(pages).toBe(3);
    expect(lines.map((line) => [line.level, line.message])).toEqual([
      ["info", "Running 3 steps of 50 ms"],
      ["debug", "Step 1 of 3 done"],
      ["debug", "Step 2 of 3 done"],
      ["debug", "Step 3 of 3 done"],
      ["info", expect.stringMatching(/^All 3 steps done in \d+ ms$/)],
    ]);
    expect(lines.every((line) => line.attempt === 1)).toBe(true);
    expect(lines[0]?.fields).toEqual({ steps: 3, stepMs: 50 });
    expect(lines[1]?.fields).toEqual({ step: 1 });
    // Ordered by id and by time.
    const ids = lines.map((line) => line.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(Date.parse(lines[4]?.at ?? "")).toBeGreaterThanOrEqual(Date.parse(lines[0]?.at ?? ""));
    // Filtered to info and up.
    const info = await page(request, `/api/jobs/${job.id}/logs?level=info`);
    expect(info.items.map((line) => line.level)).toEqual(["info", "info"]);
    expect(info.links.next).toBeNull();
  });

  test("each attempt's lines are its own; the failing one says why", async ({ jobsApi, request }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 2, stepMs: 0, failAtStep: 1, failingAttempts: 1 });
    await jobsApi.waitForState(job.id, ["succeeded"], 45_000);
    const first = await page(request, `/api/jobs/${job.id}/logs?attempt=1`);
    expect(first.items.map((line) => [line.level, line.message])).toEqual([
      ["info", "Running 2 steps of 0 ms"],
      ["error", "Step 1 failed, as failAtStep asked"],
    ]);
    const second = await page(request, `/api/jobs/${job.id}/logs?attempt=2`);
    expect(second.items.every((line) => line.attempt === 2)).toBe(true);
    expect(second.items.at(-1)?.message).toMatch(/^All 2 steps done/);
    const errors = await page(request, `/api/jobs/${job.id}/logs?level=error`);
    expect(errors.items).toHaveLength(1);
  });

  test("an attempt keeps 1,000 lines and 256 KB of log, then one line says how many were dropped", async ({
    jobsApi,
    request,
    sql,
  }) => {
    const many = await jobsApi.submitAccepted("test.chatty", { lines: 1_500 });
    const big = await jobsApi.submitAccepted("test.chatty", { lines: 300, size: 2_048 });
    await jobsApi.waitForState(many.id, ["succeeded"]);
    await jobsApi.waitForState(big.id, ["succeeded"]);

    const manyLines = (await readAll(request, `/api/jobs/${many.id}/logs?limit=1000`)).lines;
    expect(manyLines).toHaveLength(1_001);
    expect(manyLines[999]?.message).toMatch(/^line 1000 /);
    expect(manyLines[1_000]).toMatchObject({
      level: "warn",
      message: "500 lines dropped: an attempt's log keeps 1000 lines and 256 KB",
      fields: { dropped: 500 },
    });

    const bigLines = (await readAll(request, `/api/jobs/${big.id}/logs?limit=1000`)).lines;
    const kept = bigLines.length - 1;
    expect(kept).toBeGreaterThan(100);
    expect(kept).toBeLessThan(128);
    expect(bigLines.at(-1)?.message).toBe(`${300 - kept} lines dropped: an attempt's log keeps 1000 lines and 256 KB`);
    const [stored] = await sql`
      select sum(octet_length(message) + coalesce(octet_length(fields::text), 0))::int as bytes
      from job_logs where job_id = ${big.id} and level = 'info'`;
    expect(stored?.bytes).toBeLessThanOrEqual(256 * 1024 + 300 * 16);
  });

  test("while the job runs, a long poll on the cursor answers with the next lines as they are written", async ({
    jobsApi,
    request,
  }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 4, stepMs: 700 });
    const seen: LogLine[] = [];
    let next: string | null = `/api/jobs/${job.id}/logs`;
    let polls = 0;
    while (next) {
      const started = Date.now();
      const current = await page(request, next, { Prefer: "wait=20" });
      // Each answer comes with news (a line, or the end), never after the full wait.
      expect(Date.now() - started).toBeLessThan(10_000);
      seen.push(...current.items);
      next = current.links.next;
      if (++polls > 30) throw new Error("the long poll never ended");
    }
    expect(seen.map((line) => line.message)).toEqual([
      "Running 4 steps of 700 ms",
      "Step 1 of 4 done",
      "Step 2 of 4 done",
      "Step 3 of 4 done",
      "Step 4 of 4 done",
      expect.stringMatching(/^All 4 steps done/),
    ]);
    // It followed the job as it ran: more than one answer carried lines.
    expect(polls).toBeGreaterThan(2);
  });

  test("following with a filter waits for new lines, rather than asking again and again about filtered ones", async ({
    jobsApi,
    request,
  }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 4, stepMs: 500 });
    let next: string | null = `/api/jobs/${job.id}/logs?level=error`;
    let requests = 0;
    const errors: LogLine[] = [];
    while (next) {
      const current = await page(request, next, { Prefer: "wait=10" });
      errors.push(...current.items);
      next = current.links.next;
      if (++requests > 30) throw new Error(`still asking after ${requests} requests: ${next}`);
    }
    expect(errors).toEqual([]);
    // A handful of answers over the job's two seconds, one per line written at most, not one per round trip.
    expect(requests).toBeLessThanOrEqual(8);
  });

  test("someone else's job log is a 404; nobody's a 401; a read-only job token reads its own job's", async ({
    jobsApi,
    request,
    strangerApi,
    anonymous,
  }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
    await jobsApi.waitForState(job.id, ["succeeded"]);
    const stranger = await strangerApi.get(`/api/jobs/${job.id}/logs`);
    expect(stranger.status()).toBe(404);
    expect(stranger.headers()["content-type"]).toContain("application/problem+json");
    expect((await anonymous.get(`/api/jobs/${job.id}/logs`)).status()).toBe(401);
    const token = (await (await request.post(`/api/jobs/${job.id}/tokens`)).json()) as { token: string };
    const withToken = await fetch(`${baseURL}/api/jobs/${job.id}/logs`, {
      headers: { Authorization: `Bearer ${token.token}` },
    });
    expect(withToken.status).toBe(200);
    expect(((await withToken.json()) as LogPage).items.length).toBeGreaterThan(0);
  });

  test("a bad limit, cursor, level or attempt is a 422 problem", async ({ jobsApi, request }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
    const bad = ["limit=0", "limit=5000", "limit=1e308", "cursor=abc", "cursor=-1", "cursor=%00", "level=loud"];
    for (const query of [...bad, "level=%ff", "attempt=0", "attempt=x", "attempt=%E0%A4%A"]) {
      const response = await request.get(`/api/jobs/${job.id}/logs?${query}`);
      expect(response.status(), query).toBe(422);
      expect(response.headers()["content-type"], query).toContain("application/problem+json");
    }
  });

  test("an expired job's log goes with its result", async ({ jobsApi, request, adminApi, sql }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 2, stepMs: 0 });
    await jobsApi.waitForState(job.id, ["succeeded"]);
    expect((await page(request, `/api/jobs/${job.id}/logs`)).items.length).toBeGreaterThan(0);
    expect((await adminApi.post(`/api/admin/jobs/${job.id}/expire`)).status()).toBe(200);
    const [left] = await sql`select count(*)::int as n from job_logs where job_id = ${job.id}`;
    expect(left?.n).toBe(0);
    expect(await page(request, `/api/jobs/${job.id}/logs`)).toEqual({ items: [], links: { next: null } });
  });
});

test.describe("a job's log, live", () => {
  test("its event stream with ?logs=true sends each line as `event: log`, before the final state, and resumes", async ({
    jobsApi,
    owner,
  }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 3, stepMs: 400 });
    const stream = await SseClient.open(`${baseURL}/api/jobs/${job.id}/events?logs=true`, owner.headers);
    expect(stream.response.status).toBe(200);
    await stream.done;
    const events = stream.events;
    const logs = events.filter((event) => event.event === "log").map((event) => JSON.parse(event.data) as LogLine);
    expect(logs.map((line) => line.message)).toEqual([
      "Running 3 steps of 400 ms",
      "Step 1 of 3 done",
      "Step 2 of 3 done",
      "Step 3 of 3 done",
      expect.stringMatching(/^All 3 steps done/),
    ]);
    // The final state comes last, after the attempt's last line.
    expect(events.at(-1)?.event).toBe("job");
    expect(JSON.parse(events.at(-1)?.data ?? "{}").state).toBe("succeeded");
    // Every id names the version and the last line sent.
    for (const event of events) expect(event.id).toMatch(/^\d+\.\d+$/);
    expect(events.at(-1)?.id).toBe(`${JSON.parse(events.at(-1)?.data ?? "{}").version}.${logs.at(-1)?.id}`);

    // Resuming after the second line's event: only what came after it.
    const secondLine = events.find((event) => event.event === "log" && JSON.parse(event.data).id === logs[1]?.id);
    const resumed = await SseClient.open(`${baseURL}/api/jobs/${job.id}/events?logs=true`, {
      ...owner.headers,
      "Last-Event-ID": secondLine?.id ?? "",
    });
    await resumed.done;
    const again = resumed.events.filter((event) => event.event === "log").map((event) => JSON.parse(event.data).id);
    expect(again).toEqual(logs.slice(2).map((line) => line.id));
  });

  test("a WebSocket subscription with logs hears each line as a `log` message, and resumes after a line", async ({
    jobsApi,
    owner,
  }) => {
    const job = await jobsApi.submitAccepted("demo.steps", { steps: 3, stepMs: 400 });
    const socket = await SocketClient.ready(baseURL, owner.headers);
    socket.send({ type: "subscribe", jobs: { [job.id]: 0 }, logs: true });
    await socket.waitFor((messages) =>
      messages.some((message) => message.type === "job" && message.job?.state === "succeeded"),
    );
    type LogMessage = { type: "log"; jobId: string; line: LogLine };
    const logs = (socket.messages as unknown as LogMessage[]).filter((message) => message.type === "log");
    expect(logs.every((message) => message.jobId === job.id)).toBe(true);
    expect(logs.map((message) => message.line.message)).toEqual([
      "Running 3 steps of 400 ms",
      "Step 1 of 3 done",
      "Step 2 of 3 done",
      "Step 3 of 3 done",
      expect.stringMatching(/^All 3 steps done/),
    ]);
    // The final state after the last line.
    const lastLine = socket.messages.findLastIndex((message) => (message.type as string) === "log");
    const final = socket.messages.findIndex((message) => message.type === "job" && message.job?.state === "succeeded");
    expect(final).toBeGreaterThan(lastLine);
    socket.socket.close();

    const resumed = await SocketClient.ready(baseURL, owner.headers);
    resumed.send({ type: "subscribe", jobs: { [job.id]: 0 }, logs: { [job.id]: logs[2]?.line.id ?? 0 } });
    await resumed.waitFor((messages) => messages.filter((message) => (message.type as string) === "log").length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const again = (resumed.messages as unknown as LogMessage[]).filter((message) => message.type === "log");
    expect(again.map((message) => message.line.id)).toEqual(logs.slice(3).map((message) => message.line.id));
    resumed.socket.close();
  });
});
