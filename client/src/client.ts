import {
  type ClientOptions,
  Connection,
  type InputOf,
  isFinished,
  type JobLogLine,
  type JobLogPage,
  type JobState,
  type JobStatus,
  type JobType,
  retryAfterMs,
} from "./connection.ts";
import { AcceptedProblem, problemOf } from "./problem.ts";
import {
  type Schedule,
  type ScheduleChange,
  type ScheduleRunsQuery,
  type ScheduleSpec,
  type Schedules,
  schedulesOf,
} from "./schedules.ts";
import { backoff, type FollowOptions, follow, pause } from "./transports.ts";
import { type WatchOptions, watchJobs } from "./watch.ts";

export type {
  ClientOptions,
  FollowOptions,
  InputOf,
  JobLogLine,
  JobState,
  JobStatus,
  JobType,
  Schedule,
  ScheduleChange,
  ScheduleRunsQuery,
  ScheduleSpec,
  Schedules,
  WatchOptions,
};
export { isFinished };

// A log is read this many lines at a time, and a follower's long poll waits this long for the next.
const LOG_PAGE = 500;
const LOG_WAIT_S = 25;

export interface LogOptions {
  /** Follow new lines until the job has finished (default), or stop at the lines there are now. */
  follow?: boolean;
  /** Lines after this one (a line's id), to resume. */
  after?: number;
  /** This level and the more severe ones. */
  level?: JobLogLine["level"];
  attempt?: number;
  signal?: AbortSignal;
}

export interface SubmitOptions {
  /** Sent as Idempotency-Key; one of the SDK's own otherwise, so its retries make one job. */
  idempotencyKey?: string;
  /** Email the submitter when the job finishes. */
  notifyWhenDone?: boolean;
  /**
   * Not before then: a time, or a delay in seconds (counted from when the
   * server receives the submit). The job is `scheduled` until then, up to a
   * year ahead.
   */
  runAt?: Date | number;
  /** Not started by then (a paused type, a long queue), it is cancelled instead, saying why. */
  startBy?: Date;
  /**
   * While a job of yours with this key is unfinished, the submit answers
   * with that job instead of making another: its handle's `existing` is true.
   */
  concurrencyKey?: string;
  /**
   * Seconds (0 to 10; more counts as 10) the server may hold its answer
   * for the job to finish (`Prefer: wait=N`). A job that finished in time
   * comes back finished: `wait()` and `result()` need no more of its status.
   */
  wait?: number;
  /** How many times a submit is sent when the server is unavailable (503) or unreachable; 5 by default. */
  attempts?: number;
  signal?: AbortSignal;
}

/** A result: JSON, a file (with its name), or nothing for jobs whose effect is the result. */
export type JobResult =
  | { kind: "json"; value: unknown }
  | { kind: "file"; filename: string; contentType: string; blob: Blob }
  | { kind: "none" };

/** A job on the server: follow it, wait for it, get its result, cancel or retry it. */
export class JobHandle {
  /** How long the server asked to wait before asking again (its last Retry-After), if it said. */
  retryAfterMs: number | null = null;
  /** From the submit: an unfinished job of yours already held its `concurrencyKey`, and this is that job. */
  existing = false;
  /** From the submit: its Idempotency-Key had made this job already (the server said Idempotent-Replayed). */
  replayed = false;

  constructor(
    private readonly connection: Connection,
    readonly id: string,
    /** The last state known here (from the submit, or the last read); following resumes after its version. */
    public last: JobStatus | null = null,
  ) {}

  /** Its status now (always a 200: `?redirect=false`). */
  async status(options: { signal?: AbortSignal } = {}): Promise<JobStatus> {
    const response = await this.connection.request(`/api/jobs/${this.id}?redirect=false`, { signal: options.signal });
    if (!response.ok) throw await problemOf(response);
    this.retryAfterMs = retryAfterMs(response.headers.get("Retry-After"));
    this.last = (await response.json()) as JobStatus;
    return this.last;
  }

  /**
   * Every new state of the job until it finishes, each once, in version
   * order, over the best transport available; a dropped connection is
   * resumed from the last version received.
   */
  async *follow(options: FollowOptions = {}): AsyncGenerator<JobStatus> {
    // Finished already: there is no new state to come.
    if (this.last && isFinished(this.last.state)) return;
    for await (const job of follow(this.connection, this.id, this.last?.version ?? 0, options)) {
      this.last = job;
      options.onUpdate?.(job);
      yield job;
    }
  }

  /** Resolves with the final state (succeeded, failed or cancelled). */
  async wait(options: FollowOptions = {}): Promise<JobStatus> {
    if (this.last && isFinished(this.last.state)) return this.last;
    for await (const _ of this.follow(options)) {
      // follow() ends at the final state.
    }
    if (!this.last) throw new Error(`job ${this.id} ended without a state`);
    return this.last;
  }

  /**
   * Waits for the job, then its result: the JSON, the file, or
   * `{ kind: "none" }`. A failed or cancelled job throws its problem.
   */
  async result(options: FollowOptions = {}): Promise<JobResult> {
    const final = await this.wait(options);
    if (final.state !== "succeeded") {
      throw new AcceptedProblem(
        final.error
          ? { ...final.error, jobId: final.id, state: final.state }
          : {
              type: "/problems/job-cancelled",
              title: "The job was cancelled",
              status: 409,
              jobId: final.id,
              state: final.state,
            },
      );
    }
    if (final.result?.kind === "none" || !final.result) return { kind: "none" };
    const response = await this.connection.request(`/api/jobs/${this.id}/result`);
    if (!response.ok) throw await problemOf(response);
    if (final.result.kind === "json") return { kind: "json", value: await response.json() };
    return {
      kind: "file",
      filename: final.result.filename ?? "result",
      contentType: response.headers.get("content-type") ?? "application/octet-stream",
      blob: await response.blob(),
    };
  }

  /**
   * The job's own log, oldest first: with `follow` (the default) every new
   * line as it is written until the job has finished and its last line is
   * read (a long poll on the log's cursor), otherwise the lines there are
   * now. `after` resumes after a line's id.
   */
  async *logs(options: LogOptions = {}): AsyncGenerator<JobLogLine> {
    const follow = options.follow ?? true;
    const query = new URLSearchParams({ limit: String(LOG_PAGE) });
    if (options.after !== undefined) query.set("cursor", String(options.after));
    if (options.level) query.set("level", options.level);
    if (options.attempt !== undefined) query.set("attempt", String(options.attempt));
    let next: string | null = `/api/jobs/${this.id}/logs?${query}`;
    let failures = 0;
    while (next) {
      let page: JobLogPage;
      try {
        page = await this.connection.json<JobLogPage>(next, {
          signal: options.signal,
          headers: follow ? { Prefer: `wait=${LOG_WAIT_S}` } : {},
        });
        failures = 0;
      } catch (error) {
        // A dropped connection is tried again from the same line; a problem (404, 401…) is the caller's.
        if (error instanceof AcceptedProblem || options.signal?.aborted || failures >= 5) throw error;
        await pause(backoff(failures++), options.signal);
        continue;
      }
      for (const line of page.items) yield line;
      if (!follow && page.items.length < LOG_PAGE) return;
      next = page.links.next;
    }
  }

  /** Cancels it (queued or running); cancelling a cancelled job is harmless. */
  async cancel(): Promise<JobStatus> {
    this.last = await this.connection.json<JobStatus>(`/api/jobs/${this.id}`, { method: "DELETE" });
    return this.last;
  }

  /** Runs a failed job again (the same job, its attempts counting on). */
  async retry(): Promise<JobStatus> {
    this.last = await this.connection.json<JobStatus>(`/api/jobs/${this.id}/retry`, { method: "POST" });
    return this.last;
  }
}

export interface JobsQuery {
  state?: JobState;
  /** A batch's jobs, or "none" for jobs submitted on their own. */
  batch?: string;
  limit?: number;
}

export interface RequestOptions {
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
}

export interface AcceptedClient {
  /**
   * Submits a job: its handle (the job made, the one holding its
   * concurrencyKey, or, after a `wait`, the job finished). Safe to retry:
   * see SubmitOptions.idempotencyKey.
   */
  submit<T extends JobType>(type: T, input: InputOf<T>, options?: SubmitOptions): Promise<JobHandle>;
  /** A handle for a job submitted elsewhere (`known`: its last state, to follow from). */
  job(id: string, known?: JobStatus): JobHandle;
  /** Your latest jobs, newest first. */
  jobs(query?: JobsQuery): Promise<JobStatus[]>;
  /** A read-only token for one job, for a browser to follow it (1 h unless `expiresInSeconds`). */
  jobToken(id: string, expiresInSeconds?: number): Promise<{ token: string; expiresAt: string }>;
  /** Uploads a file a job's input names (a CSV of recipients): its id, and how many rows it has. */
  upload(file: Blob, filename?: string): Promise<{ id: string; rows: number }>;
  /** Every change to your jobs over one connection; see WatchOptions. Resolves once `signal` aborts. */
  watch(options: WatchOptions): Promise<void>;
  /**
   * Any other call to the API (the admin console's, webhooks', your account's), with the same
   * credentials: its JSON answer (null when it has none), or its problem as an AcceptedProblem.
   */
  request<T>(path: string, options?: RequestOptions): Promise<T>;
  /** Your schedules: a job of a type and input at every firing of a cron. */
  schedules: Schedules;
}

const newKey = () => `"${globalThis.crypto.randomUUID()}"`;

/** The Prefer header asking the server to hold a submit's answer up to `seconds` for the job to finish. */
function preferWait(seconds: number): string {
  if (!(Number.isFinite(seconds) && seconds >= 0)) throw new RangeError("wait is a number of seconds, 0 to 10");
  // The server takes whole seconds and counts more than 10 as 10.
  return `wait=${Math.min(Math.ceil(seconds), 999_999)}`;
}

/**
 * The job a submit's answer names: 202 (made, or replayed), 200 (the job
 * holding the concurrency key, or one that finished within the wait with no
 * result resource), 303 (finished within the wait: its result is ready), or
 * a finished job's problem (failed within the wait); null for a refusal. A
 * finished job's answer names its status URI in Content-Location.
 */
async function jobAnswered(connection: Connection, response: Response): Promise<JobHandle | null> {
  const finished = response.headers.get("Content-Location");
  if (response.status === 202 || response.status === 200 || (response.status === 303 && finished)) {
    const job = (await response.json()) as JobStatus;
    const handle = new JobHandle(connection, job.id, job);
    handle.existing = response.status === 200 && !finished;
    handle.replayed = response.headers.get("Idempotent-Replayed") === "true";
    return handle;
  }
  if (!finished || response.status < 400) return null;
  // The failure's problem details, as the status URI answers them: read the whole final state once.
  const problem = await problemOf(response);
  const id = typeof problem.members.jobId === "string" ? problem.members.jobId : finished.split("/").at(-1);
  if (!id) throw problem;
  const handle = new JobHandle(connection, id);
  await handle.status().catch(() => {});
  return handle;
}

/** A client of one Accepted server. */
export function createClient(options: ClientOptions = {}): AcceptedClient {
  const connection = new Connection(options);
  return {
    async submit(type, input, submitOptions = {}) {
      const { runAt, startBy, concurrencyKey } = submitOptions;
      const key = submitOptions.idempotencyKey ?? newKey();
      const body = JSON.stringify({
        type,
        input,
        ...(submitOptions.notifyWhenDone ? { notifyWhenDone: true } : {}),
        ...(runAt === undefined ? {} : { runAt: runAt instanceof Date ? runAt.toISOString() : runAt }),
        ...(startBy === undefined ? {} : { startBy: startBy.toISOString() }),
        ...(concurrencyKey === undefined ? {} : { concurrencyKey }),
      });
      let prefer = submitOptions.wait === undefined ? null : preferWait(submitOptions.wait);
      const attempts = submitOptions.attempts ?? 5;
      for (let attempt = 1; ; attempt++) {
        let response: Response | null = null;
        let failure: unknown = null;
        try {
          response = await connection.request("/api/jobs", {
            method: "POST",
            body,
            headers: {
              "Content-Type": "application/json",
              "Idempotency-Key": key,
              ...(prefer ? { Prefer: prefer } : {}),
            },
            signal: submitOptions.signal,
          });
        } catch (error) {
          if (submitOptions.signal?.aborted) throw error;
          failure = error;
        }
        const handle = response && (await jobAnswered(connection, response));
        if (handle) return handle;
        if (response?.type === "opaqueredirect") {
          // A browser hides a 303 from a fetch that does not follow it: the job finished within the wait. The
          // same request again, under the same key and without the wait, answers with that job.
          prefer = null;
          continue;
        }
        // Unavailable or unreachable: the same key again, after the pause the server asks for.
        const retryable = failure !== null || response?.status === 503;
        if (!retryable || attempt >= attempts) {
          if (!response) throw failure;
          const problem = await problemOf(response);
          // A key of the SDK's own, refused on a later try as made for another request: the first try made the
          // job (a runAt in seconds is counted from each try's arrival, so the tries differ).
          const jobId = problem.members.jobId;
          if (attempt > 1 && !submitOptions.idempotencyKey && typeof jobId === "string") {
            if (problem.type.endsWith("/idempotency-key-reused")) {
              const made = new JobHandle(connection, jobId);
              await made.status();
              return made;
            }
          }
          throw problem;
        }
        const wait = retryAfterMs(response?.headers.get("Retry-After") ?? null) ?? Math.min(8_000, 250 * 2 ** attempt);
        await pause(wait, submitOptions.signal);
        submitOptions.signal?.throwIfAborted();
      }
    },
    job: (id, known) => new JobHandle(connection, id, known ?? null),
    async jobs({ state, batch, limit } = {}) {
      const query = new URLSearchParams({
        ...(state ? { state } : {}),
        ...(batch ? { batch } : {}),
        ...(limit ? { limit: String(limit) } : {}),
      });
      return (await connection.json<{ items: JobStatus[] }>(`/api/jobs?${query}`)).items;
    },
    async jobToken(id, expiresInSeconds) {
      return connection.json(`/api/jobs/${id}/tokens`, {
        method: "POST",
        ...(expiresInSeconds
          ? { body: JSON.stringify({ expiresInSeconds }), headers: { "Content-Type": "application/json" } }
          : {}),
      });
    },
    async upload(file, filename) {
      const form = new FormData();
      form.set("file", file, filename ?? (file as { name?: string }).name ?? "upload");
      return connection.json("/api/uploads", { method: "POST", body: form });
    },
    watch: (watchOptions) => watchJobs(connection, watchOptions),
    schedules: schedulesOf(connection),
    async request<T>(path: string, { method = "GET", body, signal }: RequestOptions = {}) {
      const response = await connection.request(path, {
        method,
        signal,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
      });
      if (!response.ok) throw await problemOf(response);
      const json = response.status !== 204 && response.headers.get("content-type")?.includes("json");
      return (json ? await response.json() : null) as T;
    },
  };
}
