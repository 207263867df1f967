import { z } from "zod";
import { jobStates } from "@/lib/jobs/states";
import { jobStatusSchema } from "@/lib/jobs/status-schemas";
import { bulkActionRequest } from "@/lib/jobs/types/admin-bulk";
import { operation } from "../route";
import { accepted, badJsonBody, json, problem } from "./common";
import {
  adminListJobsQuery,
  jobCapChange,
  jobIdParams,
  jobTypeParams,
  ownerUsageSchema,
  typeControlChange,
  typeQueueSchema,
  userIdParams,
} from "./schemas";

const isoTime = z.iso.datetime({ offset: true });

const ownerWithUsage = ownerUsageSchema
  .extend({ userId: z.string(), email: z.string().nullable() })
  .meta({ id: "OwnerUnfinishedJobs" });

const adminJobSchema = jobStatusSchema.extend({ ownerEmail: z.string().nullable() }).meta({ id: "AdminJob" });

export const adminListJobs = operation({
  method: "GET",
  path: "/api/admin/jobs",
  access: "admin",
  query: adminListJobsQuery,
  doc: {
    summary: "Every owner's jobs: filtered, searched, sorted, cursor-paginated",
    responses: {
      "200": json(
        "A page of jobs with their owners' emails; links.next leads on.",
        z.object({ items: z.array(adminJobSchema), links: z.object({ next: z.string().nullable() }) }),
      ),
      "422": problem("A bad filter, sort, limit or cursor."),
    },
  },
});

export const adminGetJob = operation({
  method: "GET",
  path: "/api/admin/jobs/{id}",
  access: "admin",
  params: jobIdParams,
  doc: {
    summary: "One job, its owner and its timeline of state changes",
    responses: {
      "200": json(
        "The job as an admin sees it.",
        z.object({
          job: jobStatusSchema,
          ownerEmail: z.string().nullable(),
          timeline: z.array(
            z.object({
              at: isoTime,
              state: z.enum(jobStates),
              attempt: z.int(),
              detail: z.string().nullable(),
            }),
          ),
        }),
      ),
      "404": problem("No such job."),
    },
  },
});

export const adminExpireJob = operation({
  method: "POST",
  path: "/api/admin/jobs/{id}/expire",
  access: "admin",
  params: jobIdParams,
  doc: {
    summary: "Purge a finished job's result now (audited)",
    responses: {
      "200": json("Expired (also when it already was).", jobStatusSchema),
      "404": problem("No such job."),
      "409": problem("The job has not finished."),
    },
  },
});

export const adminBulkAction = operation({
  method: "POST",
  path: "/api/admin/bulk",
  access: "admin",
  doc: {
    summary: "Retry or cancel many jobs, by id or by filter, as a job of its own (audited)",
    requestBody: { content: { "application/json": { schema: bulkActionRequest } } },
    responses: { "202": accepted, ...badJsonBody, "422": problem("Not a bulk action this API knows.") },
  },
});

export const adminAudit = operation({
  method: "GET",
  path: "/api/admin/audit",
  access: "admin",
  doc: {
    summary: "The latest 100 admin actions",
    responses: {
      "200": json(
        "Who did what, when, to which jobs.",
        z.object({
          items: z.array(
            z.object({
              id: z.int(),
              at: isoTime,
              actorEmail: z.string(),
              action: z.string(),
              jobIds: z.array(z.uuid()),
              detail: z.record(z.string(), z.unknown()),
            }),
          ),
        }),
      ),
    },
  },
});

export const adminOverview = operation({
  method: "GET",
  path: "/api/admin/overview",
  access: "admin",
  doc: {
    summary: "Counts by state, the queue, the last hour per minute, and the live workers",
    responses: {
      "200": json(
        "The overview.",
        z.object({
          counts: z.record(z.enum(jobStates), z.int()),
          queueDepth: z.int(),
          oldestQueuedAgeSeconds: z.int().nullable(),
          perMinute: z.array(z.object({ minute: z.string(), succeeded: z.int(), failed: z.int() })),
          workers: z.array(
            z.object({ pools: z.int(), hostname: z.string(), pid: z.int(), startedAt: isoTime, lastSeenAt: isoTime }),
          ),
          types: z.array(typeQueueSchema),
          owners: z
            .array(ownerWithUsage)
            .meta({ description: "The users with the most unfinished jobs, and those with a cap of their own." }),
        }),
      ),
    },
  },
});

export const adminJobTypes = operation({
  method: "GET",
  path: "/api/admin/job-types",
  access: "admin",
  doc: {
    summary: "Each job type's queue: queued, running, paused, and its concurrency limit",
    responses: { "200": json("Every job type.", z.object({ items: z.array(typeQueueSchema) })) },
  },
});

export const adminChangeJobType = operation({
  method: "PATCH",
  path: "/api/admin/job-types/{type}",
  access: "admin",
  params: jobTypeParams,
  doc: {
    summary: "Pause or resume a job type, or set how many of its jobs run at once (audited)",
    description:
      "A paused type keeps accepting submits; its queued jobs wait, with `paused: true`, until it is resumed. " +
      "The limit holds across all workers; jobs already running when it is lowered finish.",
    requestBody: { content: { "application/json": { schema: typeControlChange } } },
    responses: {
      "200": json("The type's queue after the change.", typeQueueSchema),
      ...badJsonBody,
      "404": problem("No such job type."),
      "422": problem("Neither paused nor concurrencyLimit, or a limit outside 1–1000."),
    },
  },
});

export const adminSetJobCap = operation({
  method: "PUT",
  path: "/api/admin/users/{id}/job-cap",
  access: "admin",
  params: userIdParams,
  doc: {
    summary: "Set how many unfinished jobs one user may have (audited); null restores the default",
    requestBody: { content: { "application/json": { schema: jobCapChange } } },
    responses: {
      "200": json("The user's cap and unfinished jobs now.", ownerWithUsage),
      ...badJsonBody,
      "404": problem("No such user."),
      "422": problem("Not a whole number from 0 to 1,000,000, or null."),
    },
  },
});
