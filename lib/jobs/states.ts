import type { JobState } from "@/db/job-states";

export { type JobState, jobStates } from "@/db/job-states";

/** Not started yet: waiting for its runAt (scheduled) or for a worker (queued). */
export const unstartedStates = ["scheduled", "queued"] as const satisfies readonly JobState[];
/** Not finished: a cancel can still stop it, and it holds a place in its owner's cap and its concurrency key. */
export const unfinishedStates = [...unstartedStates, "running"] as const satisfies readonly JobState[];

const terminal: ReadonlySet<JobState> = new Set(["succeeded", "failed", "cancelled"]);

/** A finished job never changes state again. */
export const isTerminal = (state: JobState) => terminal.has(state);

/** Waiting to start (see unstartedStates). */
export const isUnstarted = (state: JobState): state is (typeof unstartedStates)[number] =>
  state === "scheduled" || state === "queued";
