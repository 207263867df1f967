import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

import { jobStates } from "./job-states";
import { logLevels } from "./log-levels";
import { type WebhookEvent, webhookDeliveryStates } from "./webhook-events";

export * from "./auth-schema";
export { type JobState, jobStates } from "./job-states";
export { type WebhookEvent, webhookDeliveryStates, webhookEvents } from "./webhook-events";

export const jobState = pgEnum("job_state", jobStates);
export const logLevel = pgEnum("log_level", logLevels);

/** One failed attempt, kept so users see why a job was retried. */
export interface AttemptError {
  attempt: number;
  message: string;
  failedAt: string;
  durationMs: number;
}

/** RFC 9457 problem details describing why a job failed, stored as written. */
export interface JobProblem {
  type: string;
  title: string;
  status: number;
  detail: string;
}

/**
 * Where a succeeded job's result is: inline JSON, or a file in job_files
 * (described here so the status monitor never reads the file itself).
 */
export type JobResult =
  | { kind: "none" }
  | { kind: "json"; value: unknown }
  | { kind: "file"; filename: string; contentType: string; size: number };

// Millisecond precision, as JavaScript dates have: list cursors round-trip exactly.
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => "bytea",
});

/**
 * The words of a job's input, error and attempt errors, as the admin search
 * matches them. Queries must use this same expression for the GIN index to
 * serve them; it reads no other table, so it is immutable as an index needs.
 */
export const jobSearchDocument = sql`(jsonb_to_tsvector('simple'::regconfig, input, '["string", "numeric"]'::jsonb) || jsonb_to_tsvector('simple'::regconfig, coalesce(error, '{}'::jsonb), '["string"]'::jsonb) || jsonb_to_tsvector('simple'::regconfig, attempt_errors, '["string"]'::jsonb))`;

/**
 * A batch: many jobs submitted as one accepted operation (POST /api/batches).
 * Its items are ordinary jobs that name it; its state is theirs, counted.
 */
export const batches = pgTable(
  "batches",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: text("owner_id"),
    size: integer("size").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [index("batches_owner_created_at_idx").on(t.ownerId, t.createdAt.desc().nullsFirst())],
);

export const jobs = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    type: text("type").notNull(),
    state: jobState("state").notNull().default("queued"),
    // The user who submitted it (users.id). Null only for jobs from before
    // users existed, which only admins see. No foreign key: a submit should
    // not pay for a lookup, and jobs may outlive their owner's account.
    ownerId: text("owner_id"),
    input: jsonb("input").$type<Record<string, unknown>>().notNull(),
    progress: smallint("progress").notNull().default(0),
    message: text("message"),
    estimatedCompletionAt: timestamptz("estimated_completion_at"),
    // When a failed attempt will be retried, while the job waits for it.
    retryAt: timestamptz("retry_at"),
    // Bumped by a trigger on every change; the statement's NOTIFY job_changes
    // carries it (db/functions/jobs.sql): the SSE event id and the ETag.
    version: integer("version").notNull().default(1),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull(),
    attemptErrors: jsonb("attempt_errors").$type<AttemptError[]>().notNull().default([]),
    result: jsonb("result").$type<JobResult>(),
    error: jsonb("error").$type<JobProblem>(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    // When the current attempt began; progress rates and ETAs are measured from here.
    attemptStartedAt: timestamptz("attempt_started_at"),
    startedAt: timestamptz("started_at"),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
    finishedAt: timestamptz("finished_at"),
    cancelledAt: timestamptz("cancelled_at"),
    // Who asked for the cancel: the email of the user or admin.
    cancelledBy: text("cancelled_by"),
    // How long the job is kept once finished (its type's retention), and so
    // when: expires_at is set by a trigger when finished_at is
    // (db/functions/jobs.sql). Past it, the purge removes the result and
    // files and sets expired_at; the status URI then answers 410 Gone.
    retentionSeconds: integer("retention_seconds").notNull().default(604_800),
    expiresAt: timestamptz("expires_at"),
    expiredAt: timestamptz("expired_at"),
    // Its place in the queue, as given to graphile-worker (lower runs first):
    // the round it joined under fair sharing (lib/jobs/fair-share.ts).
    priority: integer("priority").notNull().default(0),
    // Queued while an admin has paused its type: it waits for the resume.
    paused: boolean("paused").notNull().default(false),
    // The batch it was submitted in, if any.
    batchId: uuid("batch_id").references(() => batches.id),
    // Its owner asked to be emailed when it finishes (queued by db/functions/jobs.sql).
    notifyWhenDone: boolean("notify_when_done").notNull().default(false),
    // Its submitter's deadline for the start: still queued then, it is cancelled instead of run.
    startBy: timestamptz("start_by"),
    // The W3C traceparent of the request that submitted it (tracing on): its attempts' spans are that span's children.
    traceParent: text("trace_parent"),
    // Not to start before this (runAt on submit, or its schedule's firing time); the job is 'scheduled' until then.
    runAt: timestamptz("run_at"),
    // While a job of this owner with this key is unfinished, a submit with the key answers with that job.
    concurrencyKey: text("concurrency_key"),
    // The schedule whose firing made it (no foreign key: a run outlives its deleted schedule, as a job its owner).
    scheduleId: uuid("schedule_id"),
  },
  (t) => [
    // Newest-first listing and its cursor: (created_at, id) descending.
    index("jobs_created_at_id_idx").on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // Descending NULLS FIRST, as ORDER BY … DESC reads. The same order within a state, a type, an owner: the filtered lists read
    // their page straight off the index instead of sorting every match.
    index("jobs_state_created_at_idx").on(t.state, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("jobs_type_created_at_idx").on(t.type, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("jobs_owner_created_at_idx").on(t.ownerId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // The admin console's throughput and failure-rate charts read by finish time.
    // Partial, as the next two: an unfinished job's writes add no entry here.
    index("jobs_finished_at_idx").on(t.finishedAt).where(sql`finished_at is not null`),
    index("jobs_updated_at_id_idx").on(t.updatedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // A user's event stream resuming from Last-Event-ID reads their jobs changed since then, newest first.
    index("jobs_owner_updated_at_idx").on(t.ownerId, t.updatedAt.desc().nullsFirst()),
    index("jobs_batch_idx").on(t.batchId).where(sql`batch_id is not null`),
    // The running jobs, a handful: per-type concurrency counts them.
    index("jobs_running_type_priority_idx").on(t.type, t.priority).where(sql`state = 'running'`),
    // The jobs waiting to run, by priority: fair sharing reads the lowest (the round now served).
    index("jobs_waiting_priority_idx").on(t.priority).where(sql`state = 'queued' and not paused`),
    // The purge's scan: finished jobs not yet expired, by expiry.
    index("jobs_expires_at_idx").on(t.expiresAt).where(sql`expired_at is null and expires_at is not null`),
    // Housekeeping's scan for queued jobs past their startBy: only jobs that were given one.
    // (Not "state = 'queued'": scheduled jobs are found here too, and no migration may name that state: see 0022.)
    index("jobs_start_by_idx").on(t.startBy).where(sql`start_by is not null and attempts = 0 and finished_at is null`),
    // One unfinished job per owner and concurrency key (finished_at is null exactly while a job is unfinished).
    uniqueIndex("jobs_owner_concurrency_key_idx")
      .on(t.ownerId, t.concurrencyKey)
      .where(sql`concurrency_key is not null and finished_at is null`),
    // One job per firing of a schedule, however many workers fire it; and its runs, newest first.
    uniqueIndex("jobs_schedule_run_at_idx").on(t.scheduleId, t.runAt.desc()).where(sql`schedule_id is not null`),
    // Full-text search inside input and error JSON, for the admin console. New
    // entries wait in a pending list that every search reads through; a short
    // one (256 kB, not 4 MB) keeps a search fast while jobs pour in.
    index("jobs_search_idx").using("gin", jobSearchDocument).with({ gin_pending_list_limit: 256 }),
    check("jobs_progress_range", sql`${t.progress} between 0 and 100`),
    check("jobs_attempts_range", sql`${t.attempts} >= 0 and ${t.maxAttempts} >= 1`),
  ],
);

export type Job = typeof jobs.$inferSelect;
export type Schedule = typeof schedules.$inferSelect;

/**
 * Each owner's unfinished (scheduled, queued or running) jobs, counted by a trigger on
 * jobs (db/functions/jobs.sql), and the cap an admin set for them
 * (null: MAX_UNFINISHED_JOBS_PER_USER). A submit locks its owner's row to
 * check the cap, so two submits cannot both take the last place.
 */
export const jobOwnerQuotas = pgTable(
  "job_owner_quotas",
  {
    ownerId: text("owner_id").primaryKey(),
    unfinished: integer("unfinished").notNull().default(0),
    maxUnfinished: integer("max_unfinished"),
  },
  (t) => [
    check("job_owner_quotas_unfinished", sql`${t.unfinished} >= 0`),
    check("job_owner_quotas_max_unfinished", sql`${t.maxUnfinished} >= 0`),
  ],
);

/**
 * Queue control per job type, as data: paused, and how many of its jobs may
 * run at once across all workers (null: no limit). A row per type exists
 * once a worker has started with it, or an admin changed it.
 */
export const jobTypeControls = pgTable(
  "job_type_controls",
  {
    type: text("type").primaryKey(),
    paused: boolean("paused").notNull().default(false),
    concurrencyLimit: integer("concurrency_limit"),
    // An admin's time limit for an attempt, in place of the type's own (timeoutMs); null: the type's.
    timeoutMs: integer("timeout_ms"),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("job_type_controls_concurrency_limit", sql`${t.concurrencyLimit} >= 1`),
    check("job_type_controls_timeout_ms", sql`${t.timeoutMs} >= 1000`),
  ],
);

/**
 * A user's recurring job: its type and input, fired at each time its cron
 * expression names in its time zone (lib/schedules). next_run_at is the
 * next firing (null while paused); its graphile-worker job
 * (accepted:fire-schedule, keyed by the schedule) waits for that time.
 */
export const schedules = pgTable(
  "schedules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: text("owner_id").notNull(),
    type: text("type").notNull(),
    input: jsonb("input").$type<Record<string, unknown>>().notNull(),
    cron: text("cron").notNull(),
    timezone: text("timezone").notNull(),
    // Given to each run: a firing while the last run with this key is unfinished makes no second job.
    concurrencyKey: text("concurrency_key"),
    paused: boolean("paused").notNull().default(false),
    nextRunAt: timestamptz("next_run_at"),
    // The last firing: when it was due, the job it made (or found running), or why it made none.
    lastFiredAt: timestamptz("last_fired_at"),
    lastJobId: uuid("last_job_id"),
    lastOutcome: text("last_outcome"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [index("schedules_owner_created_at_idx").on(t.ownerId, t.createdAt.desc().nullsFirst())],
);

/** File results live in Postgres, so every app instance can serve them. */
export const jobFiles = pgTable("job_files", {
  jobId: uuid("job_id")
    .primaryKey()
    .references(() => jobs.id, { onDelete: "cascade" }),
  filename: text("filename").notNull(),
  contentType: text("content_type").notNull(),
  content: bytea("content").notNull(),
  createdAt: timestamptz("created_at").notNull().defaultNow(),
});

/**
 * Idempotency-Key records (draft-ietf-httpapi-idempotency-key-header): a key
 * is scoped to its owner ("" for anonymous) and remembers which job it made
 * and a hash of the request, for IDEMPOTENCY_KEY_TTL_HOURS.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    ownerKey: text("owner_key").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    jobId: uuid("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ownerKey, t.key] }), index("idempotency_keys_created_at_idx").on(t.createdAt)],
);

/** Each worker process's heartbeat; a silent one is presumed dead and its jobs are released. */
export const workerHeartbeats = pgTable("worker_heartbeats", {
  // graphile-worker's pool id: what it writes to locked_by.
  poolId: text("pool_id").primaryKey(),
  hostname: text("hostname").notNull(),
  pid: integer("pid").notNull(),
  startedAt: timestamptz("started_at").notNull().defaultNow(),
  lastSeenAt: timestamptz("last_seen_at").notNull().defaultNow(),
  // Attempts failed at their time limit whose handlers, ignoring their signal, still run in this process.
  stuckAttempts: integer("stuck_attempts").notNull().default(0),
});

/**
 * The admin console's timeline, where a job's row does not tell it: retries,
 * interruptions, failures and cancels, written by a trigger whichever
 * statement made them (db/functions/jobs.sql). The rest (queued, its first
 * start, succeeded) is read from the row's own timestamps (lib/admin/timeline.ts).
 */
export const jobEvents = pgTable(
  "job_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    jobId: uuid("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    at: timestamptz("at").notNull().defaultNow(),
    state: jobState("state").notNull(),
    attempt: integer("attempt").notNull(),
    // What explains the change: the failure message, who cancelled.
    detail: text("detail"),
  },
  (t) => [index("job_events_job_id_idx").on(t.jobId, t.id)],
);

/**
 * A job's own log: what its handler's logger said, attempt by attempt
 * (worker/job-log.ts writes them in batches, at most JOB_LOG_MAX_LINES and
 * JOB_LOG_MAX_BYTES per attempt). The id orders a job's lines and is the
 * API's cursor; they go with the job's retention (lib/jobs/logs.ts).
 */
export const jobLogs = pgTable(
  "job_logs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    jobId: uuid("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    at: timestamptz("at").notNull(),
    level: logLevel("level").notNull(),
    message: text("message").notNull(),
    fields: jsonb("fields").$type<Record<string, unknown>>(),
  },
  (t) => [index("job_logs_job_id_idx").on(t.jobId, t.id)],
);

export type JobLogLine = typeof jobLogs.$inferSelect;

/** What admins did, to whom and when. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamptz("at").notNull().defaultNow(),
    actorId: text("actor_id").notNull(),
    actorEmail: text("actor_email").notNull(),
    action: text("action").notNull(),
    // The jobs acted on, or the bulk job doing the acting.
    jobIds: uuid("job_ids").array().notNull().default(sql`'{}'::uuid[]`),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("audit_log_at_idx").on(t.at.desc().nullsFirst())],
);

/** Settings the app generates for itself once and every instance shares (the auth secret). */
export const appSettings = pgTable("app_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/** Files users upload for their jobs to read (a CSV of recipients), kept in Postgres like results. */
export const uploads = pgTable(
  "uploads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: text("owner_id").notNull(),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    content: bytea("content").notNull(),
    // What the upload check found: the CSV's columns and data rows.
    columns: text("columns").array().notNull(),
    rows: integer("rows").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [index("uploads_owner_created_at_idx").on(t.ownerId, t.createdAt.desc().nullsFirst())],
);

/**
 * The local mailbox: without SMTP_URL, every message Accepted sends is built
 * by nodemailer as usual and stored here, raw, instead of being delivered.
 */
export const mailboxMessages = pgTable(
  "mailbox_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // The job that sent it (null: Accepted itself, telling a user about their
    // webhook endpoint) and the owner, who may read it.
    jobId: uuid("job_id"),
    ownerId: text("owner_id"),
    messageId: text("message_id").notNull(),
    from: text("from").notNull(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    // The RFC 5322 message as nodemailer built it.
    raw: text("raw").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("mailbox_messages_owner_created_at_idx").on(t.ownerId, t.createdAt.desc().nullsFirst()),
    index("mailbox_messages_job_id_idx").on(t.jobId),
  ],
);

/**
 * A user's webhook endpoint: where Accepted POSTs their jobs' events, signed
 * with its secret (Standard Webhooks). A trigger on jobs queues a delivery
 * for every endpoint that wants an event, in the transaction that made it
 * (db/functions/jobs.sql).
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: text("owner_id").notNull(),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    events: text("events").array().$type<WebhookEvent[]>().notNull(),
    // Only jobs of these types; null: every type.
    jobTypes: text("job_types").array(),
    enabled: boolean("enabled").notNull().default(true),
    // whsec_<base64>: shown once at creation and at each rotation.
    secret: text("secret").notNull(),
    // Since when every attempt has failed; null after a success. Three days
    // of it disable the endpoint (disabledReason says why).
    failingSince: timestamptz("failing_since"),
    disabledReason: text("disabled_reason"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [index("webhook_endpoints_owner_idx").on(t.ownerId, t.createdAt.desc().nullsFirst())],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;

/**
 * One event for one endpoint: a message with one webhook-id whatever the
 * number of attempts. A chain (the job, or the message itself for a test
 * event) is delivered in order, one message at a time; `payload` is what
 * was true when the event happened (the job's row then), so a retry hours
 * later sends the same body.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Orders a chain's messages.
    sequence: bigserial("sequence", { mode: "number" }).notNull(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    ownerId: text("owner_id").notNull(),
    jobId: uuid("job_id").references(() => jobs.id, { onDelete: "cascade" }),
    chain: uuid("chain").notNull(),
    event: text("event").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    state: text("state", { enum: webhookDeliveryStates }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("next_attempt_at").notNull().defaultNow(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    finishedAt: timestamptz("finished_at"),
  },
  (t) => [
    index("webhook_deliveries_chain_idx").on(t.endpointId, t.chain, t.sequence).where(sql`state = 'pending'`),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.sequence.desc().nullsFirst()),
    index("webhook_deliveries_job_idx").on(t.jobId, t.sequence.desc().nullsFirst()),
    index("webhook_deliveries_created_idx").on(t.createdAt.desc().nullsFirst()),
  ],
);

export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

/** Each attempt at a delivery: what the receiver answered, or why nothing came back. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    at: timestamptz("at").notNull().defaultNow(),
    // The HTTP status; null when no response came (refused, timed out).
    status: integer("status"),
    durationMs: integer("duration_ms").notNull(),
    // The start of the response body, or why there was none.
    responseStart: text("response_start"),
    error: text("error"),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.id)],
);

export type WebhookAttempt = typeof webhookAttempts.$inferSelect;

/**
 * Read-only tokens for one job: what a backend hands a browser so it can
 * follow that job (status, long poll, events, result) and nothing else,
 * until it expires. Only the token's SHA-256 is kept.
 */
export const jobReadTokens = pgTable(
  "job_read_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    jobId: uuid("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    // Who made it (users.id): the owner, or an admin.
    createdBy: text("created_by").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    expiresAt: timestamptz("expires_at").notNull(),
  },
  (t) => [index("job_read_tokens_expires_at_idx").on(t.expiresAt)],
);

/**
 * Request rate limits shared by every web process (sign-in, uploads, test
 * sends…): one row per limit and subject (`upload:<user>`), counting hits in
 * a fixed window. UNLOGGED (see its migration): a count costs no WAL, and a
 * crash that forgets the counts only gives everyone a fresh window.
 */
export const rateLimitWindows = pgTable("rate_limit_windows", {
  key: text("key").primaryKey(),
  windowStartedAt: timestamptz("window_started_at").notNull(),
  hits: integer("hits").notNull(),
});

/**
 * The SQL definitions (functions and triggers) in db/functions/*.sql, as
 * last applied: each file is applied again, whole, only when its text has
 * changed (db/functions.ts), so a start does not lock the tables it names.
 */
export const sqlDefinitions = pgTable("sql_definitions", {
  file: text("file").primaryKey(),
  sha256: text("sha256").notNull(),
  appliedAt: timestamptz("applied_at").notNull().defaultNow(),
});
