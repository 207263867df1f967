import { getDb } from "@/lib/db";
import { findBatch, requireBatch } from "@/lib/jobs/batch-status";
import { requireJob } from "@/lib/jobs/queries";
import { batchJobIds, streamBatch } from "@/lib/realtime/batch-streams";
import { jobFeed } from "@/lib/realtime/job-feed";
import { lastEventIdOf, streamJob, streamJobs } from "@/lib/realtime/job-streams";
import type { StreamStart } from "@/lib/realtime/sse";
import { batches, jobs } from "./api";
import { type Caller, isAdmin, jobScope, ownJobs } from "./caller";
import { problems } from "./problem";
import { endWhenRevoked } from "./revocation";
import { handleStream } from "./route";

/**
 * The Server-Sent Events operations. Declared here rather than in their
 * route files because two servers serve them: our own (server.ts), which
 * writes them straight to the socket, and Next.js, whose route files
 * (app/api/…/events) export them too.
 */

/** The stream's start, ending it when the caller's credential stops admitting them. */
function revocable(request: Request, caller: Caller, ownerId: string | null, start: StreamStart): StreamStart {
  // An admin watching someone else's jobs must still be an admin.
  const stillAllowed = ownerId === caller.id ? undefined : isAdmin;
  return (stream) => {
    const stop = start(stream);
    const stopWatching = endWhenRevoked(request, caller, stream.close, stillAllowed);
    return () => {
      stop();
      stopWatching();
    };
  };
}

/** The caller's jobs as they change; `?scope=all` streams every job, for admins (the admin console). */
export const allJobEvents = handleStream(jobs.allJobEvents, async ({ request, caller }) => {
  const { scope } = jobs.eventsQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  if (scope === "all" && !isAdmin(caller)) throw problems.notFound("No such resource.");
  await jobFeed().start();
  const streamScope = scope === "all" ? jobScope(caller) : ownJobs(caller);
  const lastEventId = lastEventIdOf(request);
  return revocable(request, caller, scope === "all" ? null : caller.id, (stream) =>
    streamJobs(stream, streamScope, lastEventId),
  );
});

/** One job, ending with its final state. */
export const jobEvents = handleStream(jobs.jobEvents, async ({ request, params: { id }, caller }) => {
  await jobFeed().start();
  const job = await requireJob(getDb(), jobScope(caller), id);
  const lastEventId = lastEventIdOf(request) ?? 0;
  return revocable(request, caller, job.ownerId, (stream) => streamJob(stream, job, lastEventId));
});

/** One batch, ending once every job in it has finished. */
export const batchEvents = handleStream(batches.batchEvents, async ({ request, params: { id }, caller }) => {
  await jobFeed().start();
  const scope = jobScope(caller);
  const db = getDb();
  const batch = await requireBatch(db, scope, id);
  const jobIds = await batchJobIds(id);
  const lastEventId = lastEventIdOf(request) ?? 0;
  return revocable(request, caller, batch.ownerId, (stream) =>
    streamBatch(stream, batch, jobIds, () => findBatch(db, scope, id), lastEventId),
  );
});
