/** Job states: the schema's enum, shared with the server and the browser (this file imports nothing). */
export const jobStates = ["scheduled", "queued", "running", "succeeded", "failed", "cancelled"] as const;
export type JobState = (typeof jobStates)[number];
