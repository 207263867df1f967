/** Job states, shared by the schema, the server and the browser. */
export const jobStates = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type JobState = (typeof jobStates)[number];

const terminal: ReadonlySet<JobState> = new Set(["succeeded", "failed", "cancelled"]);

/** A finished job never changes state again. */
export const isTerminal = (state: JobState) => terminal.has(state);
