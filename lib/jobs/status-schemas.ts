import { z } from "zod";
import { jobStates } from "@/db/job-states";
import { logLevels } from "@/db/log-levels";

/**
 * The representations every transport carries (the HTTP API, its event
 * streams and WebSocket messages, webhook payloads): what toJobStatus,
 * toBatchStatus and batchResult build, typed from these, and what the
 * OpenAPI document declares.
 */

export const problemSchema = z
  .object({
    type: z.string().meta({ description: "A URI reference under /problems/ naming the kind of problem." }),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
  })
  .catchall(z.unknown())
  .meta({ id: "Problem", description: "RFC 9457 problem details; some problems add members (jobId, state, errors…)." });

const isoTime = z.iso.datetime({ offset: true });

export const attemptErrorSchema = z
  .object({ attempt: z.int(), message: z.string(), failedAt: isoTime, durationMs: z.int() })
  .meta({ id: "AttemptError" });

export const jobStatusSchema = z
  .object({
    id: z.uuid(),
    type: z.string(),
    title: z.string(),
    state: z.enum(jobStates),
    paused: z.boolean().meta({
      description: "Not started and waiting because an admin paused its type; it starts once the type is resumed.",
    }),
    version: z.int().min(1).meta({ description: "Grows with every change; the ETag and the SSE event id." }),
    progress: z.int().min(0).max(100),
    message: z.string().nullable(),
    attempts: z.int().min(0),
    maxAttempts: z.int().min(1),
    attemptErrors: z.array(attemptErrorSchema),
    input: z.record(z.string(), z.unknown()),
    batchId: z.uuid().nullable().meta({ description: "The batch it was submitted in, if any." }),
    notifyWhenDone: z.boolean().meta({ description: "Its submitter is emailed when it finishes." }),
    traceId: z
      .string()
      .nullable()
      .meta({ description: "The OpenTelemetry trace its submit began, when the server exports traces." }),
    startBy: isoTime
      .nullable()
      .meta({ description: "Still queued at this time, it is cancelled rather than started (its submitter asked)." }),
    runAt: isoTime.nullable().meta({
      description:
        "Not started before this: the job is scheduled until then (its submit's runAt, or its schedule's firing).",
    }),
    concurrencyKey: z
      .string()
      .nullable()
      .meta({ description: "While this job is unfinished, a submit of its owner with this key answers with it." }),
    scheduleId: z.uuid().nullable().meta({ description: "The schedule whose firing made it, if one did." }),
    createdAt: isoTime,
    startedAt: isoTime.nullable(),
    updatedAt: isoTime,
    finishedAt: isoTime.nullable(),
    estimatedCompletionAt: isoTime.nullable(),
    retryAt: isoTime.nullable(),
    result: z
      .union([
        z.object({ kind: z.literal("none") }).meta({ description: "Success is the whole answer: no result resource." }),
        z.object({ kind: z.literal("json") }),
        z.object({ kind: z.literal("file"), filename: z.string(), contentType: z.string(), size: z.int() }),
      ])
      .nullable(),
    error: problemSchema.nullable(),
    cancelledAt: isoTime.nullable(),
    cancelledBy: z.string().nullable(),
    expiresAt: isoTime.nullable().meta({ description: "When a finished job and its result stop being kept." }),
    expiredAt: isoTime
      .nullable()
      .meta({ description: "Set once expired: the result is deleted and the status URI answers 410." }),
    links: z.object({
      self: z.string(),
      batch: z.string().optional(),
      schedule: z.string().optional(),
      result: z.string().optional(),
      cancel: z.string().optional(),
      retry: z.string().optional(),
    }),
  })
  .meta({ id: "JobStatus", description: "The status representation, the same in every answer that carries a job." });

const stateCounts = z.object(
  Object.fromEntries(jobStates.map((state) => [state, z.int().min(0)])) as Record<(typeof jobStates)[number], z.ZodInt>,
);

export const batchStatusSchema = z
  .object({
    id: z.uuid(),
    state: z.enum(["queued", "running", "finished"]).meta({
      description: "queued: no job has started; finished: every job has succeeded, failed or been cancelled.",
    }),
    size: z.int().min(1),
    counts: stateCounts,
    paused: z
      .int()
      .min(0)
      .meta({ description: "Scheduled and queued jobs waiting because an admin paused their type." }),
    progress: z.int().min(0).max(100).meta({ description: "Finished jobs count 100, the others their own progress." }),
    version: z
      .int()
      .min(0)
      .meta({ description: "Grows with every change to any of its jobs; the ETag and the SSE id." }),
    createdAt: isoTime,
    finishedAt: isoTime.nullable(),
    estimatedCompletionAt: isoTime.nullable(),
    links: z.object({
      self: z.string(),
      jobs: z.string().meta({ description: "Its jobs, as the job list (GET /api/jobs?batch=<id>)." }),
      result: z.string().optional(),
      cancel: z.string().optional(),
    }),
  })
  .meta({ id: "BatchStatus", description: "A batch's status: its jobs counted by state." });

export const batchResultSchema = z
  .object({
    id: z.uuid(),
    size: z.int(),
    counts: stateCounts,
    items: z.array(
      z.object({
        id: z.uuid(),
        type: z.string(),
        state: z.enum(jobStates),
        error: problemSchema.nullable(),
        links: z.object({ self: z.string(), result: z.string().optional() }),
      }),
    ),
  })
  .meta({ id: "BatchResult", description: "Each job's final state and its result link, in the order they were sent." });

export const jobLogLineSchema = z
  .object({
    id: z.int().meta({ description: "Orders a job's lines; the cursor to read on from." }),
    at: isoTime,
    level: z.enum(logLevels),
    message: z.string(),
    fields: z.record(z.string(), z.unknown()).nullable().meta({ description: "The structured fields logged with it." }),
    attempt: z.int().min(1),
  })
  .meta({ id: "JobLogLine", description: "One line of a job's own log, as its handler's logger wrote it." });
