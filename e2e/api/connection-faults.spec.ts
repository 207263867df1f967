import { createWriteStream } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import { createApiUser } from "@/e2e/support/api-user";
import { SseClient } from "@/e2e/support/sse-client";
import { submitJob } from "@/lib/jobs/lifecycle";
import { findJobType } from "@/lib/jobs/registry";
import { freePort, type Stack, startStack } from "@/scripts/stack";
import { expect, type JobStatus, test } from "../support/fixtures";
import { isolatedDatabase } from "../support/isolated";
import { countSuccesses } from "../support/successes";

// The benchmark's injection (hardbyte/postgresql-job-queue-benchmarking), word for word.
const KILL_STORM = `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
  WHERE datname = current_database() AND state IN ('active', 'idle in transaction')`;
// A LISTEN connection sits idle, so the storm catches one only while it (re)subscribes: here, every one, on purpose.
const KILL_LISTENERS = `select pg_terminate_backend(pid) from pg_stat_activity
  where datname = current_database() and query ilike 'listen%'`;

/** A web server and a worker of the test's own, on a database of its own: the faults reach nobody else. */
async function isolatedStack(sql: postgres.Sql, label: string) {
  const isolated = await isolatedDatabase(sql, label);
  const stack = await startStack({
    mode: "production",
    port: await freePort(),
    databaseUrl: isolated.url,
    output: createWriteStream(`test-results/${label}-servers.log`),
    env: { ACCEPTED_TEST_JOB_TYPES: "1", WORKER_CONCURRENCY: "8", LOG_LEVEL: "warn" },
  });
  let exited: string | null = null;
  void stack.exited.then((why) => {
    exited = why;
  });
  // A second session, so a storm that terminates itself (the SQL above does) does not stop the test's reads.
  const faults = postgres(isolated.url, { max: 1, onnotice: () => {} });
  return {
    isolated,
    stack,
    faults,
    /** Why the web server or worker exited, if one did. */
    exited: () => exited,
    async stop() {
      await stack.stop();
      await faults.end({ timeout: 1 });
      await isolated.drop();
    },
  };
}

/** Submits a job over the API and waits for its stream to say it succeeded: the worker takes jobs and pushes flow. */
async function submitAndSeeSucceed(
  stack: Stack,
  headers: Record<string, string>,
  events: SseClient,
  timeoutMs: number,
) {
  const response = await fetch(`${stack.baseUrl}/api/jobs`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify({ type: "test.record", input: {} }),
  });
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as JobStatus;
  await events.waitFor(() => events.jobs(id).some((job) => job.state === "succeeded"), timeoutMs);
}

test("a backend-kill storm during a drain: no process dies, every job succeeds exactly once, pushes flow after", async ({
  sql,
}) => {
  test.setTimeout(150_000);
  const { isolated, stack, faults, exited, stop } = await isolatedStack(sql, "killstorm");
  try {
    const user = await createApiUser(stack.baseUrl, "killstorm");
    const events = await SseClient.open(`${stack.baseUrl}/api/events`, user.headers);
    const jobType = findJobType("test.record");
    if (!jobType) throw new Error("test.record is missing (ACCEPTED_TEST_JOB_TYPES)");
    const count = 300;
    const successes = await countSuccesses(isolated.sql);
    const ids = (
      await Promise.all(
        Array.from({ length: count }, () => submitJob(isolated.db, { jobType, input: {}, ownerId: user.id })),
      )
    ).map((submitted) => submitted.job.id);

    // Twice a second for 6 s, while the jobs drain. The LISTEN connections go
    // first, so the storm finds them resubscribing and their subscribers re-reading.
    let killed = 0;
    const kill = (statement: string) =>
      faults.unsafe(statement).then(
        (rows) => rows.length,
        () => 1, // the storm terminated its own session
      );
    for (let tick = 0; tick < 12; tick++) {
      killed += await kill(KILL_LISTENERS);
      await sleep(tick * 4);
      killed += await kill(KILL_STORM);
      await sleep(500 - tick * 4);
    }
    expect(killed).toBeGreaterThan(12);

    await Promise.race([
      expect
        .poll(
          async () =>
            (await isolated.sql`select count(*)::int as n from jobs where state in ('succeeded', 'failed')`)[0]?.n,
          { timeout: 90_000 },
        )
        .toBe(count),
      stack.exited.then((why) => {
        throw new Error(`${why} during the storm`);
      }),
    ]);
    // Exactly once: each job succeeded, no job made succeeded twice (the storm
    // cuts the test's own LISTEN too, so some writes go unheard), one effect of test.record.
    const [figures] = await isolated.sql`
      select count(*) filter (where j.state <> 'succeeded')::int as not_succeeded,
             count(*) filter (where (select count(*) from test_effects t where t.job_id = j.id) <> 1)::int as effects_not_once
      from jobs j`;
    expect(figures).toEqual({ not_succeeded: 0, effects_not_once: 0 });
    await successes.stop();
    expect(successes.figures(ids).moreThanOnce).toBe(0);

    // The worker still takes jobs, and the stream opened before the storm still pushes.
    await submitAndSeeSucceed(stack, user.headers, events, 30_000);
    events.close();
    expect(exited()).toBeNull();
  } finally {
    await stop();
  }
});

test("every LISTEN connection killed: jobs are still picked up and pushes flow again", async ({ sql }) => {
  test.setTimeout(120_000);
  const { stack, faults, exited, stop } = await isolatedStack(sql, "listenkill");
  try {
    const user = await createApiUser(stack.baseUrl, "listenkill");
    const events = await SseClient.open(`${stack.baseUrl}/api/events`, user.headers);
    await submitAndSeeSucceed(stack, user.headers, events, 30_000);

    // The web's feed, the worker's feed and graphile-worker's three: all cut, twice, the second as they resubscribe.
    const killed = (await faults.unsafe(KILL_LISTENERS)).length;
    expect(killed).toBeGreaterThanOrEqual(5);
    await sleep(200);
    await faults.unsafe(KILL_LISTENERS);

    await submitAndSeeSucceed(stack, user.headers, events, 60_000);
    events.close();
    expect(exited()).toBeNull();
  } finally {
    await stop();
  }
});
