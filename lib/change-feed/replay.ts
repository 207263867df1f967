import { and, desc, gt } from "drizzle-orm";
import { type Job, jobs } from "@/db/schema";
import { getDb } from "@/lib/db";
import { type JobScope, jobFilterConditions } from "@/lib/jobs/queries";
import type { Interest } from "./job-feed";

// Resuming the all-jobs stream replays changes from a little before the last
// event the client saw, so a change that committed late is not skipped; at
// most the latest RESUME_LIMIT (a client further behind re-reads its list).
const RESUME_MARGIN_MS = 5_000;
const RESUME_LIMIT = 200;
// How long a replay's rows are shared with streams resuming from the same point.
const REPLAY_SHARED_MS = 1_000;

const replays = new Map<string, Promise<Job[]>>();
const replayTurns = new Map<string, Promise<unknown>>();

/**
 * The jobs of `scope` changed since `since`, newest RESUME_LIMIT, oldest
 * first. Streams resuming from the same point at about the same time share
 * one query, and one scope's replays run one after another: a user opening
 * a hundred streams with Last-Event-ID: 0 holds one database connection,
 * not the whole pool, so nobody else's requests wait on theirs.
 */
export function changedSince(scope: JobScope, since: number): Promise<Job[]> {
  const scopeKey = "ownerId" in scope ? scope.ownerId : "*";
  const key = `${scopeKey}@${since}`;
  const shared = replays.get(key);
  if (shared) return shared;
  const read = () =>
    getDb()
      .select()
      .from(jobs)
      .where(and(jobFilterConditions(scope, {}), gt(jobs.updatedAt, new Date(since - RESUME_MARGIN_MS))))
      .orderBy(desc(jobs.updatedAt))
      .limit(RESUME_LIMIT)
      .then((rows) => rows.reverse());
  const turn = (replayTurns.get(scopeKey) ?? Promise.resolve()).then(read, read);
  replays.set(key, turn);
  replayTurns.set(scopeKey, turn);
  const forget = () => {
    setTimeout(() => replays.delete(key), REPLAY_SHARED_MS).unref();
    if (replayTurns.get(scopeKey) === turn) replayTurns.delete(scopeKey);
  };
  turn.then(forget, forget);
  return turn;
}

/** The feed's index for a scope: one owner's jobs, or every job. */
export function interestOf(scope: JobScope): Interest {
  return "ownerId" in scope ? { ownerId: scope.ownerId } : { everyJob: true };
}
