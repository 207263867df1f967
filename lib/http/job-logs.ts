import { jobScope } from "@/lib/auth/caller";
import { jobFeed } from "@/lib/change-feed/job-feed";
import { logFeed } from "@/lib/change-feed/log-feed";
import { connectionAllowance, connectionCounts } from "@/lib/connection-caps";
import { getDb } from "@/lib/db";
import { newestJobLogLine, readJobLog, toJobLogEntry } from "@/lib/jobs/logs";
import { requireJob } from "@/lib/jobs/queries";
import { isTerminal } from "@/lib/jobs/states";
import { jobs } from "./api";
import { ACCESS_TOKEN_PARAM } from "./caller";
import { preferredWaitSeconds } from "./conditional";
import { handle } from "./route";

/**
 * A page of a job's own log, oldest first. links.next reads on from its last
 * line while there may be more: lines not read yet, or a job that has not
 * finished. With `Prefer: wait=N`, a page that would be empty waits up to N
 * seconds for a line or the job's end (a long poll on the cursor).
 */
export const jobLogPage = handle(jobs.getJobLogs, async ({ request, params: { id }, query, caller }) => {
  const db = getDb();
  const scope = jobScope(caller);
  let job = await requireJob(db, scope, id);
  const read = () =>
    readJobLog(db, id, { after: query.cursor, limit: query.limit, level: query.level, attempt: query.attempt });
  let lines = await read();
  const waitS = preferredWaitSeconds(request);
  if (lines.length === 0 && waitS > 0 && !isTerminal(job.state)) {
    const done = new AbortController();
    const signal = AbortSignal.any([request.signal, done.signal]);
    try {
      await connectionCounts().holding(connectionAllowance(caller), () =>
        Promise.race([
          logFeed().waitForLines(id, query.cursor ?? 0, waitS * 1000, signal),
          jobFeed().waitFor(
            { jobIds: [id] },
            (change) => change.id === id && isTerminal(change.state),
            async () => isTerminal((await requireJob(db, scope, id)).state),
            waitS * 1000,
            signal,
          ),
        ]),
      );
    } finally {
      // Whichever answered (or failed), the other stops waiting.
      done.abort();
    }
    job = await requireJob(db, scope, id);
    lines = await read();
  }
  const page = lines.slice(0, query.limit);
  const more = lines.length > query.limit || !isTerminal(job.state);
  let last = page.at(-1)?.id ?? query.cursor;
  // Filtered (a level, an attempt) and caught up: read on after the last line there is, matching or not, so a
  // follower waits for new lines instead of asking again and again about lines it has filtered out.
  if ((query.level || query.attempt !== undefined) && lines.length <= query.limit) {
    const newest = await newestJobLogLine(db, id);
    if (newest !== null && newest > (last ?? 0)) last = newest;
  }
  let next: string | null = null;
  if (more) {
    const url = new URL(request.url);
    url.searchParams.delete(ACCESS_TOKEN_PARAM);
    if (last !== undefined) url.searchParams.set("cursor", String(last));
    next = `${url.pathname}${url.search}`;
  }
  return Response.json(
    { items: page.map(toJobLogEntry), links: { next } },
    { headers: { "Cache-Control": "no-store", ...(next ? { Link: `<${next}>; rel="next"` } : {}) } },
  );
});
