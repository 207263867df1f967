import { setTimeout as sleep } from "node:timers/promises";
import type postgres from "postgres";

export interface ExactlyOnceFigures {
  submitted: number;
  rejected: number;
  succeeded: number;
  notSucceeded: number;
  effects: number;
  jobsWithoutEffect: number;
  jobsWithDuplicateEffects: number;
  submitSeconds: number;
  drainSeconds: number;
}

/**
 * Submits `count` test.record jobs over HTTP, `concurrency` at a time, waits
 * for all of them to finish, and counts their side effects: exactly one
 * each is the goal. Used by the load test (2,000) and `npm run load` (10,000).
 */
export async function runExactlyOnce(options: {
  baseUrl: string;
  /** Credentials to submit with: the user's Authorization header. */
  headers: Record<string, string>;
  sql: postgres.Sql;
  count: number;
  concurrency: number;
  timeoutMs: number;
}): Promise<ExactlyOnceFigures> {
  const { baseUrl, headers, sql, count, concurrency, timeoutMs } = options;
  const ids: string[] = [];
  let rejected = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const response = await fetch(`${baseUrl}/api/jobs`, {
          method: "POST",
          headers: { "Content-Type": "application/json", ...headers },
          body: JSON.stringify({ type: "test.record", input: {} }),
        });
        if (response.status === 202) ids.push(((await response.json()) as { id: string }).id);
        else rejected++;
      }
    }),
  );
  const submitSeconds = (performance.now() - started) / 1000;

  const deadline = Date.now() + timeoutMs;
  let finished = 0;
  while (Date.now() < deadline) {
    const [row] = await sql<{ finished: number }[]>`
      select count(*)::int as finished from jobs where id = any(${ids}::uuid[]) and state in ('succeeded', 'failed', 'cancelled')`;
    finished = row?.finished ?? 0;
    if (finished === ids.length) break;
    await sleep(250);
  }
  const drainSeconds = (performance.now() - started) / 1000;

  const [states] = await sql<{ succeeded: number; other: number }[]>`
    select count(*) filter (where state = 'succeeded')::int as succeeded,
           count(*) filter (where state <> 'succeeded')::int as other
    from jobs where id = any(${ids}::uuid[])`;
  const [effects] = await sql<{ effects: number; missing: number; duplicated: number }[]>`
    with per_job as (
      select j.id, count(e.id) as n from jobs j left join test_effects e on e.job_id = j.id
      where j.id = any(${ids}::uuid[]) group by j.id)
    select coalesce(sum(n), 0)::int as effects,
           count(*) filter (where n = 0)::int as missing,
           count(*) filter (where n > 1)::int as duplicated
    from per_job`;
  return {
    submitted: ids.length,
    rejected,
    succeeded: states?.succeeded ?? 0,
    notSucceeded: states?.other ?? 0,
    effects: effects?.effects ?? 0,
    jobsWithoutEffect: effects?.missing ?? 0,
    jobsWithDuplicateEffects: effects?.duplicated ?? 0,
    submitSeconds,
    drainSeconds,
  };
}
