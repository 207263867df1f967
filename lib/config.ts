import path from "node:path";
import { z } from "zod";
import { MIN_PASSWORD_LENGTH } from "./auth/password";

/**
 * Every setting Accepted reads from the environment, parsed once: nothing
 * else in the app reads process.env. Documented
 * in the README's configuration table; keep the two in step.
 */
const flag = z
  .enum(["0", "1", ""])
  .default("0")
  .transform((value) => value === "1");

const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  // A connection that keeps its session (straight to PostgreSQL) for what
  // needs one when DATABASE_URL goes through a pooler in transaction mode
  // (PgBouncer): LISTEN, graphile-worker, migrations. Unset: DATABASE_URL.
  DATABASE_DIRECT_URL: z.string().url().optional(),
  // "false" when DATABASE_URL is a pooler that cannot keep prepared
  // statements across transactions (PgBouncer before 1.21 in transaction mode).
  DATABASE_PREPARED_STATEMENTS: z
    .enum(["true", "false"])
    .default("true")
    .transform((value) => value === "true"),
  ACCEPTED_DATA_DIR: z.string().default(".data"),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  WORKER_HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  WORKER_DEAD_AFTER_MS: z.coerce.number().int().min(500).max(3_600_000).default(30_000),
  // How many unfinished (queued or running) jobs one user may have; past it a
  // submit answers 429. An admin can set another cap for one user.
  MAX_UNFINISHED_JOBS_PER_USER: z.coerce.number().int().min(1).max(1_000_000).default(1_000),
  // The shortest time between two firings of a schedule: each firing is a job, and a user may have 20 schedules.
  SCHEDULE_MIN_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(10),
  // "1": the starts (and completions) that arrive while one is being written
  // go together in the next statement (group commit); "0": each on its own.
  WORKER_BATCH_WRITES: z
    .enum(["0", "1"])
    .default("1")
    .transform((value) => value === "1"),
  // graphile-worker's own batching (its performance docs): fetch and lock
  // this many jobs at a time (0: one per fetch), and wait this long to
  // complete several jobs at once (-1: complete each at once).
  WORKER_LOCAL_QUEUE_SIZE: z.coerce.number().int().min(0).max(1_000).default(0),
  WORKER_COMPLETE_BATCH_MS: z.coerce.number().int().min(-1).max(1_000).default(-1),
  PROGRESS_WRITE_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(250),
  // The first admin, created on a first run when no admin exists; without a
  // password one is generated and printed once.
  ACCEPTED_ADMIN_EMAIL: z.email().default("admin@accepted.local"),
  ACCEPTED_ADMIN_PASSWORD: z.string().min(MIN_PASSWORD_LENGTH).optional(),
  // Signs session cookies; generated and kept in Postgres when unset.
  BETTER_AUTH_SECRET: z.string().min(32).optional(),
  // The app's public URL behind a proxy; https:// also makes cookies Secure.
  // (better-auth reads it, and BASE_URL, from the environment itself.)
  BETTER_AUTH_URL: z.url().optional(),
  // Other origins whose pages may send cookie-authenticated writes and sign in
  // (a separate front end), comma-separated: https://a.example,https://b.example.
  ACCEPTED_TRUSTED_ORIGINS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url().transform((url) => new URL(url).origin))),
  // How long finished jobs keep their results, for types that do not say.
  JOB_RETENTION_DAYS: z.coerce.number().min(0).max(3650).default(7),
  // Where email goes: an SMTP server (smtp://user:pass@host:port, smtps://…),
  // or, unset, the local mailbox in Postgres that the app shows at /mailbox.
  SMTP_URL: z.url().optional(),
  MAIL_FROM: z.string().default("Accepted <no-reply@accepted.local>"),
  // "true": webhook endpoints may be on private, loopback and link-local
  // addresses, over plain http too (local development and the tests). Off,
  // such destinations are refused at creation and at every delivery.
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
  // Hosts the operator vouches for (an internal receiver), comma-separated:
  // allowed over http and on private addresses. Redirects are never followed.
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
    ),
  // Uploads: how many one user may send a minute (429 past it), how many
  // bytes theirs may take at once (413 past it), and how long one that no
  // kept job names is kept (hours). Used ones go with their jobs' retention.
  UPLOADS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  UPLOAD_QUOTA_BYTES: z.coerce
    .number()
    .int()
    .min(1_048_576)
    .max(1_099_511_627_776)
    .default(50 * 1_048_576),
  UPLOAD_UNUSED_HOURS: z.coerce.number().int().min(1).max(8_760).default(24),
  // The pings that check a webhook URL when an endpoint is made or its URL changed: at most this many a minute.
  WEBHOOK_PINGS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  // Webhook sends a user asks for by hand (test events and redeliveries): at most this many a minute.
  WEBHOOK_MANUAL_SENDS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10),
  // Sign-in and sign-up attempts per client address a minute, and every other auth call's limit.
  SIGN_IN_ATTEMPTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(20),
  AUTH_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(300),
  // How many webhook deliveries (and "email me when done" messages) one worker sends at once.
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
  // How many realtime connections (SSE streams, WebSockets, long polls) one
  // user may hold open on one web server; past it they are refused with 429.
  REALTIME_MAX_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).max(100_000).default(100),
  // What one WebSocket may ask: a message costs 1 plus the job ids it names,
  // from a budget of 1,001 refilled this fast; past it the socket is closed (1008).
  WEBSOCKET_IDS_PER_SECOND: z.coerce.number().int().min(1).max(1_000_000).default(200),
  // How many of them one read-only job token may hold, apart from its owner's.
  JOB_TOKEN_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(10_000).default(10),
  // The web server's port.
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  // How many reverse proxies in front of the web server append to
  // X-Forwarded-For (and set -Host/-Proto). 0: none, and such headers from
  // clients are ignored; the socket's address is the client's.
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  // Which of our processes this is (web, worker…): names its database connections. Set by the launcher.
  ACCEPTED_PROCESS: z
    .string()
    .regex(/^[\w-]{1,40}$/)
    .default("app"),
  // Where the admin console links a job's trace: a URL with {traceId} in it (Jaeger: http://host:16686/trace/{traceId}).
  TRACE_VIEWER_URL: z
    .url({ protocol: /^https?$/ })
    .refine((url) => url.includes("{traceId}"), "must contain {traceId}")
    .optional(),
  // "1": the job types that exist for tests and benchmarks (test.record) are offered too. Off in production.
  ACCEPTED_TEST_JOB_TYPES: flag,
  // "1" at build time: `next build` includes the benchmark's baseline routes (app/**/route.bench.ts).
  ACCEPTED_BENCH_ROUTES: flag,
});

export type Config = z.infer<typeof envSchema>;

/** Parses an environment into the configuration; throws, naming each bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

let current: Config | undefined;

/** This process's configuration, read from its environment the first time it is asked for. */
export function config(): Config {
  current ??= parseConfig(process.env);
  return current;
}

export function dataDir(config: Config): string {
  return path.resolve(config.ACCEPTED_DATA_DIR);
}

/** The app's address in what it sends out (webhooks, email): BETTER_AUTH_URL, else this machine's port. */
export function publicUrl(config: Config): string {
  return (config.BETTER_AUTH_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, "");
}
