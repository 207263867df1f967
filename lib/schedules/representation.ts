import { z } from "zod";
import type { Schedule } from "@/db/schema";
import { findJobType } from "@/lib/jobs/registry";
import { scheduleUri, statusUri } from "@/lib/jobs/representation";
import { nextFirings } from "./cron";
import { firingOutcomes } from "./fire";

const isoTime = z.iso.datetime({ offset: true });

/** How many coming firings a schedule's representation lists. */
export const UPCOMING_FIRINGS = 5;

export const scheduleSchema = z
  .object({
    id: z.uuid(),
    type: z.string(),
    title: z.string(),
    input: z.record(z.string(), z.unknown()),
    cron: z.string(),
    timezone: z.string().meta({ description: "The IANA time zone its cron is read in." }),
    concurrencyKey: z.string().nullable().meta({
      description: "Given to each run: a firing while a run with this key is unfinished makes no second job.",
    }),
    paused: z.boolean(),
    nextRunAt: isoTime.nullable().meta({ description: "Its next firing; null while paused (or when it has run out)." }),
    upcoming: z.array(isoTime).meta({ description: `The next ${UPCOMING_FIRINGS} firings, in UTC.` }),
    lastFiredAt: isoTime.nullable(),
    lastJobId: z.uuid().nullable(),
    lastOutcome: z.enum(firingOutcomes).nullable().meta({
      description:
        "created: a job was made; already-running: its concurrency key was held, that job stands for it; over-cap: you had as many unfinished jobs as your cap allows; unknown-type: its type is gone.",
    }),
    createdAt: isoTime,
    updatedAt: isoTime,
    links: z.object({
      self: z.string(),
      runs: z.string().meta({ description: "The jobs its firings made, newest first." }),
      lastJob: z.string().optional(),
    }),
  })
  .meta({ id: "Schedule", description: "A recurring job: its type and input, made at each firing of its cron." });
export type ScheduleStatus = z.infer<typeof scheduleSchema>;

/** Its next firing and the ones after; none if its cron can no longer be read (a parser upgrade). */
function upcomingFirings(schedule: Schedule): string[] {
  if (!schedule.nextRunAt) return [];
  const next = schedule.nextRunAt;
  try {
    return [next, ...nextFirings(schedule.cron, schedule.timezone, next, UPCOMING_FIRINGS - 1)].map((at) =>
      at.toISOString(),
    );
  } catch {
    return [next.toISOString()];
  }
}

export function toScheduleStatus(schedule: Schedule): ScheduleStatus {
  return {
    id: schedule.id,
    type: schedule.type,
    title: findJobType(schedule.type)?.title ?? schedule.type,
    input: schedule.input,
    cron: schedule.cron,
    timezone: schedule.timezone,
    concurrencyKey: schedule.concurrencyKey,
    paused: schedule.paused,
    nextRunAt: schedule.nextRunAt?.toISOString() ?? null,
    upcoming: upcomingFirings(schedule),
    lastFiredAt: schedule.lastFiredAt?.toISOString() ?? null,
    lastJobId: schedule.lastJobId,
    lastOutcome: firingOutcomes.find((outcome) => outcome === schedule.lastOutcome) ?? null,
    createdAt: schedule.createdAt.toISOString(),
    updatedAt: schedule.updatedAt.toISOString(),
    links: {
      self: scheduleUri(schedule.id),
      runs: `${scheduleUri(schedule.id)}/runs`,
      ...(schedule.lastJobId ? { lastJob: statusUri(schedule.lastJobId) } : {}),
    },
  };
}
