import type { WorkerEvents, WorkerPool } from "graphile-worker";
import { z } from "zod";
import type { Logger } from "@/lib/logger";

/** What announce_due (db/functions/jobs.sql) sends when an entry is queued to run later. */
const CHANNEL = "accepted:due";
const dueMessage = z.object({ task: z.string(), at: z.number() });

// The database's clock and ours differ a little: a fetch a few ms early finds nothing and waits for the next poll.
const SLACK_MS = 25;
// Timers are kept for what is due this soon; what is due later is looked up again before then (every half of it).
const HORIZON_MS = 10 * 60_000;
const MAX_TIMERS = 1_000;

interface ListenClient {
  query(text: string, values?: unknown[]): Promise<{ rows: { at: number }[] }>;
}

/**
 * Wakes a pool when one of its entries queued to run later comes due (a
 * scheduled job's release, a schedule's firing). graphile-worker announces
 * a new entry on its LISTEN connection at once, but one due later is found
 * by the pool's next poll: up to two seconds late. announce_due tells every
 * pool's LISTEN connection (this LISTEN rides graphile-worker's own: no
 * connection more) when an entry comes due; a pool that runs its task sets
 * a timer and nudges itself then. On connecting, and every five minutes, the
 * pool reads the entries due within ten minutes too: the ones announced long
 * ago, or while it was away. A missed one costs at most the poll's delay.
 */
export function nudgeWhenDue(events: WorkerEvents, tasks: ReadonlySet<string>, logger: Logger): void {
  const timers = new Map<number, NodeJS.Timeout>();
  let lookAhead: NodeJS.Timeout | undefined;
  const clear = () => {
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
    clearInterval(lookAhead);
  };
  const warn = (what: string) => (error: unknown) => logger.warn({ err: error }, what);
  const arm = (at: number, pool: WorkerPool) => {
    const inMs = at - Date.now() + SLACK_MS;
    // Entries due within one timer's slack share it.
    const slot = Math.ceil(at / SLACK_MS);
    if (inMs > HORIZON_MS || timers.has(slot) || timers.size >= MAX_TIMERS) return;
    const timer = setTimeout(
      () => {
        timers.delete(slot);
        if (!pool._shuttingDown) pool.nudge(1);
      },
      Math.max(0, inMs),
    );
    timer.unref();
    timers.set(slot, timer);
  };
  const readAhead = (client: ListenClient, pool: WorkerPool) =>
    client
      .query(
        `select (extract(epoch from run_at) * 1000)::float8 as at from graphile_worker.jobs
         where task_identifier = any($1::text[]) and locked_at is null
           and run_at > now() and run_at < now() + make_interval(secs => $2::float8 / 1000)
         order by run_at limit ${MAX_TIMERS}`,
        [[...tasks], HORIZON_MS],
      )
      .then(({ rows }) => {
        for (const row of rows) arm(row.at, pool);
      }, warn("could not read the entries due soon"));

  events.on("pool:listen:success", ({ client, workerPool }) => {
    const listener = client as unknown as ListenClient;
    clearInterval(lookAhead);
    // After graphile-worker's own LISTEN, which it sends once this event is handled: one query at a time.
    setTimeout(() => {
      listener
        .query(`LISTEN "${CHANNEL}"`)
        .then(() => readAhead(listener, workerPool), warn(`LISTEN "${CHANNEL}" failed`));
    }, 100).unref();
    lookAhead = setInterval(() => void readAhead(listener, workerPool), HORIZON_MS / 2);
    lookAhead.unref();
  });
  events.on("pool:listen:release", ({ client }) => {
    clear();
    (client as unknown as ListenClient).query(`UNLISTEN "${CHANNEL}"`).catch(warn(`UNLISTEN "${CHANNEL}" failed`));
  });
  events.on("pool:release", clear);
  events.on("pool:listen:notification", ({ message, workerPool }) => {
    if (message.channel !== CHANNEL) return;
    const due = dueMessage.safeParse(JSON.parse(message.payload ?? "null"));
    if (due.success && tasks.has(due.data.task)) arm(due.data.at, workerPool);
  });
}
