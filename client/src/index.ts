export {
  type AcceptedClient,
  type ClientOptions,
  createClient,
  type FollowOptions,
  type InputOf,
  isFinished,
  JobHandle,
  type JobResult,
  type JobState,
  type JobStatus,
  type JobType,
  type SubmitOptions,
} from "./client.js";
export { AcceptedProblem, type ProblemDetails } from "./problem.js";
export type { Transport } from "./transports.js";
