import { z } from "zod";
import { jobSpec } from "@/lib/jobs/submit-checks";
import { scheduleSchema } from "@/lib/schedules/representation";
import { MAX_SCHEDULES_PER_USER } from "@/lib/schedules/schedules";
import { operation } from "../route";
import { badJsonBody, header, json, problem } from "./common";
import { concurrencyKeyField, jobIdParams, jobListSchema, listJobsQuery } from "./schemas";

/** Schedules: a user's recurring jobs (lib/schedules/). */

const cronField = z.string().trim().min(1).max(200).meta({
  description:
    'Five fields (minute hour day-of-month month weekday), or six with seconds first: "0 9 * * MON-FRI", "*/30 * * * * *". A time a spring-forward day skips fires once when the clock jumps; one a fall-back day repeats fires once, the first time.',
});
const timezoneField = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .meta({ description: 'An IANA time zone: "Europe/Paris", "UTC".' });

export const createScheduleRequest = jobSpec
  .extend({
    cron: cronField,
    timezone: timezoneField.default("UTC"),
    concurrencyKey: concurrencyKeyField.nullable().default(null),
  })
  .meta({ id: "ScheduleRequest" });

export const updateScheduleRequest = z
  .strictObject({
    input: jobSpec.shape.input.unwrap().optional(),
    cron: cronField.optional(),
    timezone: timezoneField.optional(),
    concurrencyKey: concurrencyKeyField.nullable().optional(),
    paused: z
      .boolean()
      .optional()
      .meta({ description: "true pauses it; false resumes it from now (missed firings are not made up)." }),
  })
  .meta({ id: "ScheduleChange" });

const scheduleParams = jobIdParams;
const notFound = problem("No such schedule of yours.");

export const createSchedule = operation({
  method: "POST",
  path: "/api/schedules",
  access: "user",
  doc: {
    summary: "Make a schedule: a job of this type and input at every firing of the cron",
    description: `Each firing makes one ordinary job (its scheduleId names the schedule; webhooks, logs and the rest as for any job), exactly once however many workers run. Firings missed while no worker ran make one late run, then it goes on from now. At most ${MAX_SCHEDULES_PER_USER} schedules a user; each run counts against your cap of unfinished jobs (a firing over it makes nothing, lastOutcome over-cap).`,
    tags: ["schedules"],
    requestBody: { content: { "application/json": { schema: createScheduleRequest } } },
    responses: {
      "201": {
        description: "Made; its first firing is queued.",
        headers: z.object({ Location: header("The schedule.") }),
        content: { "application/json": { schema: scheduleSchema } },
      },
      ...badJsonBody,
      "422": problem(
        "An unknown type, input its schema refuses, a cron that cannot be read or never fires, an unknown time zone, or too many schedules.",
      ),
    },
  },
});

export const listSchedules = operation({
  method: "GET",
  path: "/api/schedules",
  access: "user",
  doc: {
    summary: "Your schedules, newest first",
    tags: ["schedules"],
    responses: { "200": json("Every one (there are at most a few).", z.object({ items: z.array(scheduleSchema) })) },
  },
});

export const getSchedule = operation({
  method: "GET",
  path: "/api/schedules/{id}",
  access: "user",
  params: scheduleParams,
  doc: {
    summary: "A schedule, with its next firings",
    tags: ["schedules"],
    responses: { "200": json("The schedule.", scheduleSchema), "404": notFound },
  },
});

export const updateSchedule = operation({
  method: "PATCH",
  path: "/api/schedules/{id}",
  access: "user",
  params: scheduleParams,
  doc: {
    summary: "Change, pause or resume a schedule",
    description:
      "A new cron or time zone, or a resume, counts from now. Its type stays: make another schedule for another.",
    tags: ["schedules"],
    requestBody: { content: { "application/json": { schema: updateScheduleRequest } } },
    responses: {
      "200": json("As it is now.", scheduleSchema),
      ...badJsonBody,
      "404": notFound,
      "422": problem("A bad field (as for a new schedule), or one that cannot change (type)."),
    },
  },
});

export const deleteSchedule = operation({
  method: "DELETE",
  path: "/api/schedules/{id}",
  access: "user",
  params: scheduleParams,
  doc: {
    summary: "Delete a schedule (the jobs it made stay)",
    tags: ["schedules"],
    responses: { "204": { description: "Deleted; its pending firing too." }, "404": notFound },
  },
});

export const scheduleRuns = operation({
  method: "GET",
  path: "/api/schedules/{id}/runs",
  access: "user",
  params: scheduleParams,
  query: listJobsQuery.omit({ batch: true, schedule: true }),
  doc: {
    summary: "The jobs a schedule's firings made, newest first",
    description: "A page of the job list (GET /api/jobs?schedule=<id>), with links.next.",
    tags: ["schedules"],
    responses: {
      "200": json("A page of jobs.", jobListSchema),
      "404": notFound,
      "422": problem("A bad state, limit or cursor."),
    },
  },
});
