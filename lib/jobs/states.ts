import type { JobState } from "@/db/job-states";

export { type JobState, jobStates } from "@/db/job-states";

const terminal: ReadonlySet<JobState> = new Set(["succeeded", "failed", "cancelled"]);

/** A finished job never changes state again. */
export const isTerminal = (state: JobState) => terminal.has(state);
