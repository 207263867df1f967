import type postgres from "postgres";

/**
 * Counts, per job, the writes that made it succeeded, as the change feed
 * reports them (NOTIFY job_changes: every write of a job is one entry, with
 * the state it wrote). Exactly one per job means it was finished once and
 * never rewritten. A LISTEN connection that is cut misses what is sent
 * meanwhile, so under a connection storm only "never more than one" holds.
 */
export async function countSuccesses(sql: postgres.Sql) {
  const successes = new Map<string, number>();
  const listening = await sql.listen("job_changes", (payload) => {
    for (const change of JSON.parse(payload) as { id: string; state: string }[]) {
      if (change.state === "succeeded") successes.set(change.id, (successes.get(change.id) ?? 0) + 1);
    }
  });
  return {
    /** How many jobs were reported succeeded exactly once, and how many more than once. */
    figures(ids: string[]) {
      const counts = ids.map((id) => successes.get(id) ?? 0);
      return { once: counts.filter((n) => n === 1).length, moreThanOnce: counts.filter((n) => n > 1).length };
    },
    stop: () => listening.unlisten(),
  };
}
