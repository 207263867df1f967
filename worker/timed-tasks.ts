import type { Task, TaskList } from "graphile-worker";
import { getDb } from "@/lib/db";
import { releaseScheduled } from "@/lib/jobs/lifecycle";
import type { Logger } from "@/lib/logger";
import {
  FIRE_SCHEDULE_TASK,
  fireSchedulePayload,
  queuePayload,
  RELEASE_SCHEDULED_TASK,
} from "@/lib/queue/graphile-worker";
import { fireSchedule } from "@/lib/schedules/fire";

/**
 * The tasks due at a time of their users' choosing: a schedule's firing
 * (lib/schedules/fire.ts; each schedule's next waits in the queue as one
 * entry, keyed by the schedule) and a scheduled job's release at its runAt
 * (lib/jobs/lifecycle/release.ts). A lane of their own (worker/index.ts):
 * each is one short transaction that must not wait behind long jobs, slow
 * webhook receivers or an admin's bulk action, and the lane is woken when
 * they come due (worker/due-nudges.ts).
 */
export function timedTasks(logger: Logger): TaskList {
  const fire: Task = async (payload) => {
    const { scheduleId, at } = fireSchedulePayload.parse(payload);
    const outcome = await fireSchedule(getDb(), scheduleId, new Date(at));
    if (outcome) logger.info({ scheduleId, at, outcome, lateMs: Date.now() - Date.parse(at) }, "schedule fired");
  };
  const release: Task = async (payload) => {
    await releaseScheduled(getDb(), queuePayload.parse(payload).jobId);
  };
  return { [FIRE_SCHEDULE_TASK]: fire, [RELEASE_SCHEDULED_TASK]: release };
}
