import type { Connection, InputOf, JobState, JobStatus, JobType } from "./connection.ts";
import type { components } from "./openapi.ts";
import { problemOf } from "./problem.ts";

/** A schedule as the server answers it (generated from the OpenAPI document). */
export type Schedule = components["schemas"]["Schedule"];

/** A new schedule: a job of `type` with `input` at every firing of `cron`, read in `timezone` (UTC by default). */
export interface ScheduleSpec<T extends JobType = JobType> {
  type: T;
  input: InputOf<T>;
  /** Five fields (minute hour day-of-month month weekday), or six with seconds first: "0 9 * * MON-FRI". */
  cron: string;
  /** An IANA time zone, "Europe/Paris"; UTC unless given. */
  timezone?: string;
  /** Given to each run: a firing while a run with this key is unfinished makes no second job. */
  concurrencyKey?: string | null;
}

/** A change to a schedule: any of these (its type stays). A new cron, zone or a resume counts from now. */
export type ScheduleChange = components["schemas"]["ScheduleChange"];

export interface ScheduleRunsQuery {
  state?: JobState;
  limit?: number;
}

/** Your schedules: recurring jobs, each firing making one ordinary job. Refusals are AcceptedProblems. */
export interface Schedules {
  create<T extends JobType>(spec: ScheduleSpec<T>): Promise<Schedule>;
  /** Every one of yours, newest first. */
  list(): Promise<Schedule[]>;
  /** One, with its next firings (`upcoming`); a 404 AcceptedProblem if it is not yours or gone. */
  get(id: string): Promise<Schedule>;
  update(id: string, change: ScheduleChange): Promise<Schedule>;
  /** Stops its firings (`nextRunAt` is null until it is resumed). */
  pause(id: string): Promise<Schedule>;
  /** Fires again from now on; firings missed while it was paused are not made up. */
  resume(id: string): Promise<Schedule>;
  /** Deletes it (the jobs it made stay). */
  delete(id: string): Promise<void>;
  /** The jobs its firings made, newest first (`limit`, 20 by default, up to 100). */
  runs(id: string, query?: ScheduleRunsQuery): Promise<JobStatus[]>;
}

const JSON_BODY = { "Content-Type": "application/json" };

export function schedulesOf(connection: Connection): Schedules {
  const path = (id: string) => `/api/schedules/${encodeURIComponent(id)}`;
  const update = (id: string, change: ScheduleChange) =>
    connection.json<Schedule>(path(id), { method: "PATCH", body: JSON.stringify(change), headers: JSON_BODY });
  return {
    create: ({ type, input, cron, timezone, concurrencyKey }) =>
      connection.json<Schedule>("/api/schedules", {
        method: "POST",
        body: JSON.stringify({
          type,
          input,
          cron,
          ...(timezone === undefined ? {} : { timezone }),
          ...(concurrencyKey === undefined ? {} : { concurrencyKey }),
        }),
        headers: JSON_BODY,
      }),
    list: async () => (await connection.json<{ items: Schedule[] }>("/api/schedules")).items,
    get: (id) => connection.json<Schedule>(path(id)),
    update,
    pause: (id) => update(id, { paused: true }),
    resume: (id) => update(id, { paused: false }),
    async delete(id) {
      const response = await connection.request(path(id), { method: "DELETE" });
      if (!response.ok) throw await problemOf(response);
    },
    async runs(id, { state, limit } = {}) {
      const query = new URLSearchParams({
        ...(state ? { state } : {}),
        ...(limit ? { limit: String(limit) } : {}),
      });
      return (await connection.json<{ items: JobStatus[] }>(`${path(id)}/runs?${query}`)).items;
    },
  };
}
