import type { z } from "zod";
import { type Caller, isAdmin, jobScope, ownJobs } from "@/lib/auth/caller";
import { batchJobIds } from "@/lib/change-feed/batch-changes";
import { jobFeed } from "@/lib/change-feed/job-feed";
import { logFeed } from "@/lib/change-feed/log-feed";
import { connectionAllowance, connectionCounts } from "@/lib/connection-caps";
import { getDb } from "@/lib/db";
import { findBatch, requireBatch } from "@/lib/jobs/batch-status";
import { requireJob } from "@/lib/jobs/queries";
import { batches, jobs } from "../api";
import { problems } from "../problem";
import { contextOf, type Handled, type HandlerContext, type Operation } from "../route";
import { streamBatch } from "./batch-streams";
import { lastEventIdOf, logStreamResumeOf, streamJob, streamJobs, streamJobWithLogs } from "./job-streams";
import { endWhenRevoked } from "./revocation";
import { type StreamStart, sseResponse } from "./sse";

/** An event stream's operation: served by Next.js as a route, and by our own server (server.ts) directly. */
export interface StreamHandled extends Handled {
  /** The same checks as `run`, then the stream's start, for our server to run on a Node response; throws a problem. */
  open(request: Request, params: unknown): Promise<StreamStart>;
}

/**
 * Attaches an event stream to an operation. Each open stream counts
 * against its user's connection cap (lib/connection-caps.ts)
 * until it closes.
 */
export function handleStream<P extends z.ZodObject, Q extends z.ZodObject>(
  declared: Operation<P, "user", Q>,
  opener: (context: HandlerContext<P, "user", Q>) => Promise<StreamStart>,
): StreamHandled {
  const open = async (request: Request, params: unknown): Promise<StreamStart> => {
    const context = await contextOf(declared, request, params);
    const release = connectionCounts().claim(connectionAllowance(context.caller));
    try {
      const start = await opener(context);
      return (stream) => {
        const stop = start(stream);
        return () => {
          stop();
          release();
        };
      };
    } catch (error) {
      release();
      throw error;
    }
  };
  return {
    operation: declared as unknown as Operation,
    open,
    run: async (request, params) => sseResponse(request, await open(request, params)),
  };
}

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
export const allJobEvents = handleStream(jobs.allJobEvents, async ({ request, query: { scope }, caller }) => {
  if (scope === "all" && !isAdmin(caller)) throw problems.notFound("No such resource.");
  await jobFeed().start();
  const streamScope = scope === "all" ? jobScope(caller) : ownJobs(caller);
  const lastEventId = lastEventIdOf(request);
  return revocable(request, caller, scope === "all" ? null : caller.id, (stream) =>
    streamJobs(stream, streamScope, lastEventId),
  );
});

/** One job, ending with its final state. */
export const jobEvents = handleStream(jobs.jobEvents, async ({ request, params: { id }, query, caller }) => {
  await jobFeed().start();
  if (query.logs) await logFeed().start();
  const job = await requireJob(getDb(), jobScope(caller), id);
  if (query.logs) {
    const resume = logStreamResumeOf(request) ?? { version: 0, lineId: 0 };
    return revocable(request, caller, job.ownerId, (stream) => streamJobWithLogs(stream, job, resume));
  }
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
