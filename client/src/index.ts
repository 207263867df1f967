export {
  type AcceptedClient,
  type ClientOptions,
  createClient,
  type FollowOptions,
  type InputOf,
  isFinished,
  JobHandle,
  type JobLogLine,
  type JobResult,
  type JobState,
  type JobStatus,
  type JobsQuery,
  type JobType,
  type LogOptions,
  type RequestOptions,
  type Schedule,
  type ScheduleChange,
  type ScheduleRunsQuery,
  type ScheduleSpec,
  type Schedules,
  type SubmitOptions,
  type WatchOptions,
} from "./client.ts";
export { AcceptedProblem, type ProblemDetails } from "./problem.ts";
export type { Transport } from "./transports.ts";
export type { WatchMode, WatchState } from "./watch.ts";
