#!/usr/bin/env node
import { readFile, writeFile } from "node:fs/promises";
import { SingleBar } from "cli-progress";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import {
  type AcceptedClient,
  createClient,
  isFinished,
  type JobHandle,
  type JobLogLine,
  type JobStatus,
  type JobType,
  type Schedule,
  type ScheduleChange,
} from "./client.ts";
import { AcceptedProblem } from "./problem.ts";

/**
 * `accepted`: Accepted from a terminal. Reads ACCEPTED_URL (default
 * http://localhost:3000) and ACCEPTED_TOKEN. Exit codes: 0 the job
 * succeeded (or the command did what it says), 1 the job failed or was
 * cancelled, 2 bad usage (or a request the server refused as bad), 3 the
 * server could not be reached or would not authenticate.
 */

const EXIT = { ok: 0, jobFailed: 1, usage: 2, unreachable: 3 } as const;

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

const client = (): AcceptedClient =>
  createClient({ baseUrl: process.env.ACCEPTED_URL ?? "http://localhost:3000", token: process.env.ACCEPTED_TOKEN });

type Output = "bar" | "lines" | "json";
const outputOf = (options: { json?: boolean }): Output =>
  options.json ? "json" : process.stdout.isTTY ? "bar" : "lines";

/** Seconds until the server's estimated completion, if it has one. */
const secondsLeft = (job: JobStatus) =>
  job.estimatedCompletionAt
    ? Math.max(0, Math.round((Date.parse(job.estimatedCompletionAt) - Date.now()) / 1000))
    : null;

/** The terminal's own time zone. */
const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** An instant as a clock in `timeZone` reads it: 2030-01-31 09:00:00. */
function clock(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      ...{ year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" },
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** An instant in a zone (the terminal's unless given), and in UTC when that is another. */
function when(iso: string, timeZone = localZone()): string {
  const at = new Date(iso);
  const utc = `${clock(at, "UTC")} UTC`;
  return /^(UTC|Etc\/UTC|Etc\/GMT|GMT)$/.test(timeZone) ? utc : `${clock(at, timeZone)} ${timeZone} (${utc})`;
}

const line = (job: JobStatus) => {
  const left = secondsLeft(job);
  const runs = job.state === "scheduled" && job.runAt ? ` (runs at ${when(job.runAt)})` : "";
  return `${job.state} ${job.progress}%${job.message ? ` ${job.message}` : ""}${left === null ? "" : ` (about ${left} s left)`}${runs}`;
};

/** A log line as the terminal shows it: time, level, attempt, message, fields. */
const logLine = (entry: JobLogLine) =>
  `${entry.at.slice(11, 23)} ${entry.level.toUpperCase().padEnd(5)} [${entry.attempt}] ${entry.message}${
    entry.fields ? ` ${JSON.stringify(entry.fields)}` : ""
  }`;

/** Prints one state as the output asks: a JSON line, a plain line, or the live bar. */
function printer(output: Output) {
  let bar: SingleBar | null = null;
  return {
    /** A log line: above the live bar (which is drawn again under it), or a line of its own. */
    log(entry: JobLogLine) {
      if (output === "json") return void process.stdout.write(`${JSON.stringify({ log: entry })}\n`);
      if (!bar) return void process.stdout.write(`${logLine(entry)}\n`);
      process.stdout.write(`\r\x1b[2K${logLine(entry)}\n`);
      bar.render();
    },
    show(job: JobStatus) {
      if (output === "json") return void process.stdout.write(`${JSON.stringify(job)}\n`);
      if (output === "lines") return void process.stdout.write(`${line(job)}\n`);
      if (!bar) {
        bar = new SingleBar({
          format: " {bar} {percentage}% | {message} | {left}",
          hideCursor: true,
          clearOnComplete: false,
        });
        bar.start(100, job.progress, { message: job.message ?? job.state, left: "" });
      }
      const seconds = secondsLeft(job);
      const left = seconds === null ? job.state : `about ${seconds} s left`;
      bar.update(job.progress, { message: job.message ?? job.state, left });
    },
    end(job: JobStatus | null) {
      bar?.stop();
      if (job && output === "bar") process.stdout.write(`${line(job)}\n`);
    },
  };
}

/**
 * Follows a job to its end, printing each state (and, with `logs`, its
 * log's lines as they come, the last ones before the final state); the
 * exit code its end means.
 */
async function followToEnd(handle: JobHandle, output: Output, { logs = false } = {}): Promise<number> {
  const print = printer(output);
  // A job that finished already (within a submit's --wait) is shown once, after its log when that is printed.
  const finished = handle.last !== null && isFinished(handle.last.state);
  if (handle.last && !(finished && logs)) print.show(handle.last);
  let last = handle.last;
  const stopLogs = new AbortController();
  const logging = logs
    ? (async () => {
        for await (const entry of handle.logs({ signal: stopLogs.signal })) print.log(entry);
      })().catch(() => {})
    : null;
  try {
    for await (const job of handle.follow()) {
      last = job;
      if (!logging || !isFinished(job.state)) print.show(job);
    }
    if (logging && last) {
      // The attempt's last lines were written before it finished: they come first.
      await Promise.race([logging, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      print.show(last);
    }
  } finally {
    stopLogs.abort();
    print.end(last);
  }
  return last?.state === "succeeded" ? EXIT.ok : EXIT.jobFailed;
}

function parseInput(raw: string): Promise<Record<string, unknown>> | Record<string, unknown> {
  const parse = (text: string) => {
    try {
      const value = JSON.parse(text);
      if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {}
    throw new InvalidArgumentError("give a JSON object, or @file holding one");
  };
  return raw.startsWith("@") ? readFile(raw.slice(1), "utf8").then(parse) : parse(raw);
}

/** A job's input given either way: positionally or with --input (not both); `{}` when neither. */
function inputOf(positional: string | undefined, option: string | undefined) {
  if (positional !== undefined && option !== undefined) {
    throw new InvalidArgumentError("give the input once: as an argument or with --input");
  }
  return parseInput(positional ?? option ?? "{}");
}

/** --run-at: a delay in seconds, or a time (an ISO 8601 one; local time unless it has an offset). */
function parseRunAt(raw: string): Date | number {
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw);
  const at = /^\d{4}-\d\d-\d\d/.test(raw) ? new Date(raw) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) {
    throw new InvalidArgumentError("give seconds from now (90), or a time (2030-01-31T09:00, 2030-01-31T09:00:00Z)");
  }
  return at;
}

function parseWait(raw: string): number {
  const seconds = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(seconds) || seconds < 0 || seconds > 10) {
    throw new InvalidArgumentError("give whole seconds, 0 to 10");
  }
  return seconds;
}

const program = new Command("accepted")
  .description("Run and follow long operations on Accepted (ACCEPTED_URL, ACCEPTED_TOKEN).")
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

interface SubmitFlags {
  input?: string;
  follow?: boolean;
  json?: boolean;
  notify?: boolean;
  logs: boolean;
  runAt?: Date | number;
  concurrencyKey?: string;
  wait?: number;
}

program
  .command("submit")
  .summary("Submit a job; with --follow, follow it to its end")
  .description(
    "Submit a job and print its id; with --follow, follow it to its end.\n" +
      "With --wait, a job that finishes within it prints its final state too (exit 1 if it failed).\n" +
      "What the answer says besides (an existing job, when it runs) goes to stderr.",
  )
  .argument("<type>", "the job type, e.g. demo.steps")
  .argument("[input]", "its input: JSON, or @file (or give it with --input)")
  .option("-i, --input <json>", "its input: JSON, or @file (default: {})")
  .option("-f, --follow", "follow it to its end (exit 0 succeeded, 1 failed or cancelled)")
  .option(
    "--run-at <when>",
    "not before then: seconds from now (90), or a time (2030-01-31T09:00, local unless it has an offset)",
    parseRunAt,
  )
  .option(
    "--concurrency-key <key>",
    "while a job of yours with this key is unfinished, that job answers instead of a new one",
  )
  .option("--wait <seconds>", "let the server hold its answer up to this long (0-10) for the job to finish", parseWait)
  .option("--notify", "email me when it is done")
  .option("--no-logs", "with --follow, leave out the job's log lines (--json never has them)")
  .option("--json", "one JSON line per change")
  .action(async (type: string, positional: string | undefined, options: SubmitFlags) => {
    const input = await inputOf(positional, options.input);
    const handle = await client().submit(type as JobType, input as never, {
      notifyWhenDone: options.notify,
      runAt: options.runAt,
      concurrencyKey: options.concurrencyKey,
      wait: options.wait,
    });
    const job = handle.last;
    const existing = `an unfinished job of yours holds concurrency key ${JSON.stringify(options.concurrencyKey)}`;
    if (!options.follow) {
      process.stdout.write(options.json ? `${JSON.stringify(job)}\n` : `${handle.id}\n`);
      if (!job) return;
      if (!options.json && handle.existing) {
        process.stderr.write(`${existing}, so no new one: ${line(job)}\n`);
      } else if (!options.json && (job.state === "scheduled" || isFinished(job.state))) {
        process.stderr.write(`${line(job)}\n`);
      }
      if (isFinished(job.state) && job.state !== "succeeded") throw new Exit(EXIT.jobFailed);
      return;
    }
    // --json prints job states only, one kind of line; the log is for a person reading along.
    const output = outputOf(options);
    if (handle.existing && output !== "json") process.stderr.write(`${existing}: following it\n`);
    throw new Exit(await followToEnd(handle, output, { logs: options.logs && output !== "json" }));
  });

program
  .command("logs")
  .description("A job's own log; with --follow, its new lines until it has finished")
  .argument("<id>")
  .option("-f, --follow", "keep printing new lines until the job has finished")
  .option("-l, --level <level>", "only this level and the more severe ones (debug, info, warn, error)")
  .option("-a, --attempt <n>", "only this attempt's lines")
  .option("--json", "one JSON line per log line")
  .action(async (id: string, options: { follow?: boolean; level?: string; attempt?: string; json?: boolean }) => {
    const level = options.level as JobLogLine["level"] | undefined;
    if (level && !["debug", "info", "warn", "error"].includes(level)) {
      throw new InvalidArgumentError("--level is debug, info, warn or error");
    }
    const attempt = options.attempt === undefined ? undefined : Number(options.attempt);
    if (attempt !== undefined && !(Number.isInteger(attempt) && attempt >= 1)) {
      throw new InvalidArgumentError("--attempt is a number from 1");
    }
    for await (const entry of client()
      .job(id)
      .logs({ follow: Boolean(options.follow), level, attempt })) {
      process.stdout.write(options.json ? `${JSON.stringify(entry)}\n` : `${logLine(entry)}\n`);
    }
  });

program
  .command("status")
  .description("A job's status now")
  .argument("<id>")
  .option("--json", "as JSON")
  .action(async (id: string, options: { json?: boolean }) => {
    const job = await client().job(id).status();
    process.stdout.write(options.json ? `${JSON.stringify(job)}\n` : `${line(job)}\n`);
  });

program
  .command("watch")
  .description("Follow a job to its end (exit 0 succeeded, 1 failed or cancelled)")
  .argument("<id>")
  .option("--json", "one JSON line per change")
  .action(async (id: string, options: { json?: boolean }) => {
    const handle = client().job(id);
    throw new Exit(await followToEnd(handle, outputOf(options)));
  });

program
  .command("cancel")
  .description("Cancel a queued or running job")
  .argument("<id>")
  .action(async (id: string) => {
    process.stdout.write(`${line(await client().job(id).cancel())}\n`);
  });

program
  .command("retry")
  .description("Run a failed job again")
  .argument("<id>")
  .action(async (id: string) => {
    process.stdout.write(`${line(await client().job(id).retry())}\n`);
  });

program
  .command("result")
  .description("Wait for a job and print its result (or write it to a file)")
  .argument("<id>")
  .option("-o, --output <file>", "write it here (a file result's own name otherwise)")
  .action(async (id: string, options: { output?: string }) => {
    const result = await client().job(id).result();
    if (result.kind === "none") return;
    if (result.kind === "json" && !options.output) {
      process.stdout.write(`${JSON.stringify(result.value, null, 2)}\n`);
      return;
    }
    const target = options.output ?? (result.kind === "file" ? result.filename : `${id}.json`);
    const bytes =
      result.kind === "file" ? new Uint8Array(await result.blob.arrayBuffer()) : JSON.stringify(result.value, null, 2);
    await writeFile(target, bytes);
    process.stderr.write(`wrote ${target}\n`);
  });

program
  .command("jobs")
  .description("Your latest jobs")
  .option("-s, --state <state>", "only in this state (scheduled, queued, running, succeeded, failed, cancelled)")
  .option("--json", "one JSON line per job")
  .action(async (options: { state?: string; json?: boolean }) => {
    const jobs = await client().jobs({ state: options.state as JobStatus["state"] | undefined });
    for (const job of jobs) {
      process.stdout.write(options.json ? `${JSON.stringify(job)}\n` : `${job.id} ${job.type} ${line(job)}\n`);
    }
  });

/** A schedule's state in a word. */
const scheduleState = (schedule: Schedule) => (schedule.paused ? "paused" : schedule.nextRunAt ? "active" : "ended");

/** A schedule as `get` shows it: a field a line, its next firings in its own zone and in UTC. */
function describeSchedule(schedule: Schedule): string {
  const rows: [string, string][] = [
    ["id", schedule.id],
    ["type", schedule.title === schedule.type ? schedule.type : `${schedule.type} (${schedule.title})`],
    ["input", JSON.stringify(schedule.input)],
    ["cron", `${schedule.cron} (${schedule.timezone})`],
    ["state", scheduleState(schedule)],
  ];
  if (schedule.concurrencyKey !== null) rows.push(["concurrency key", schedule.concurrencyKey]);
  schedule.upcoming.forEach((at, i) => {
    rows.push([i === 0 ? "next" : "", when(at, schedule.timezone)]);
  });
  if (schedule.lastFiredAt) {
    const job = schedule.lastJobId ? ` job ${schedule.lastJobId}` : "";
    rows.push(["last fired", `${when(schedule.lastFiredAt, schedule.timezone)}: ${schedule.lastOutcome ?? "?"}${job}`]);
  }
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, value]) => `${name.padEnd(width)}  ${value}\n`).join("");
}

/** Schedules as a table: a header, then one line each. */
function scheduleTable(schedules: Schedule[]): string {
  const rows = [
    ["ID", "TYPE", "CRON", "ZONE", "STATE", "NEXT"],
    ...schedules.map((schedule) => [
      schedule.id,
      schedule.type,
      schedule.cron,
      schedule.timezone,
      scheduleState(schedule),
      schedule.nextRunAt ? when(schedule.nextRunAt, schedule.timezone) : "-",
    ]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map(
      (row) =>
        `${row
          .map((cell, column) => cell.padEnd(widths[column] ?? 0))
          .join("  ")
          .trimEnd()}\n`,
    )
    .join("");
}

const printSchedule = (schedule: Schedule, options: { json?: boolean }) =>
  process.stdout.write(options.json ? `${JSON.stringify(schedule)}\n` : describeSchedule(schedule));

const schedules = program
  .command("schedules")
  .alias("schedule")
  .summary("Your schedules: list, create, get, update, pause, resume, delete, runs")
  .description("Your schedules: a job of a type and input at every firing of a cron")
  .addHelpText(
    "after",
    `
Examples:
  accepted schedules create demo.steps '{"steps": 2}' --cron "0 9 * * MON-FRI" --timezone Europe/Paris
  accepted schedules list
  accepted schedules pause <id>`,
  );

schedules
  .command("list")
  .description("Your schedules, newest first: id, type, cron, zone, state, next firing")
  .option("--json", "one JSON line per schedule")
  .action(async (options: { json?: boolean }) => {
    const items = await client().schedules.list();
    if (options.json) {
      for (const schedule of items) process.stdout.write(`${JSON.stringify(schedule)}\n`);
      return;
    }
    process.stdout.write(items.length === 0 ? "No schedules.\n" : scheduleTable(items));
  });

schedules
  .command("create")
  .description("Make a schedule: a job of this type and input at every firing of --cron")
  .argument("<type>", "the job type, e.g. demo.steps")
  .argument("[input]", "its input: JSON, or @file (or give it with --input)")
  .requiredOption(
    "-c, --cron <cron>",
    'five fields (minute hour day month weekday), or six with seconds first: "0 9 * * MON-FRI"',
  )
  .option("-z, --timezone <zone>", "the IANA time zone its cron is read in (default: UTC)")
  .option("-i, --input <json>", "its input: JSON, or @file (default: {})")
  .option("--concurrency-key <key>", "given to each run: no firing makes a second job while one with it is unfinished")
  .option("--json", "as JSON")
  .action(
    async (
      type: string,
      positional: string | undefined,
      options: { cron: string; timezone?: string; input?: string; concurrencyKey?: string; json?: boolean },
    ) => {
      const input = await inputOf(positional, options.input);
      const schedule = await client().schedules.create({
        type: type as JobType,
        input: input as never,
        cron: options.cron,
        timezone: options.timezone,
        concurrencyKey: options.concurrencyKey,
      });
      printSchedule(schedule, options);
    },
  );

schedules
  .command("get")
  .description("A schedule, with its next firings")
  .argument("<id>")
  .option("--json", "as JSON")
  .action(async (id: string, options: { json?: boolean }) => {
    printSchedule(await client().schedules.get(id), options);
  });

schedules
  .command("update")
  .description("Change a schedule's cron, zone, input or concurrency key (from now on; its type stays)")
  .argument("<id>")
  .option("-c, --cron <cron>", "a new cron")
  .option("-z, --timezone <zone>", "a new IANA time zone")
  .option("-i, --input <json>", "a new input: JSON, or @file")
  .option("--concurrency-key <key>", "a new concurrency key")
  .option("--no-concurrency-key", "no concurrency key any more")
  .option("--json", "as JSON")
  .action(
    async (
      id: string,
      options: { cron?: string; timezone?: string; input?: string; concurrencyKey?: string | false; json?: boolean },
    ) => {
      const change: ScheduleChange = {
        ...(options.cron === undefined ? {} : { cron: options.cron }),
        ...(options.timezone === undefined ? {} : { timezone: options.timezone }),
        ...(options.input === undefined ? {} : { input: await parseInput(options.input) }),
        ...(options.concurrencyKey === undefined ? {} : { concurrencyKey: options.concurrencyKey || null }),
      };
      if (Object.keys(change).length === 0) {
        throw new InvalidArgumentError("name something to change: --cron, --timezone, --input or --concurrency-key");
      }
      printSchedule(await client().schedules.update(id, change), options);
    },
  );

schedules
  .command("pause")
  .description("Stop a schedule's firings until it is resumed")
  .argument("<id>")
  .option("--json", "as JSON")
  .action(async (id: string, options: { json?: boolean }) => {
    printSchedule(await client().schedules.pause(id), options);
  });

schedules
  .command("resume")
  .description("Fire a paused schedule again, from now (missed firings are not made up)")
  .argument("<id>")
  .option("--json", "as JSON")
  .action(async (id: string, options: { json?: boolean }) => {
    printSchedule(await client().schedules.resume(id), options);
  });

schedules
  .command("delete")
  .description("Delete a schedule (the jobs it made stay)")
  .argument("<id>")
  .action(async (id: string) => {
    await client().schedules.delete(id);
    process.stdout.write(`deleted ${id}\n`);
  });

schedules
  .command("runs")
  .description("The jobs a schedule's firings made, newest first")
  .argument("<id>")
  .option("-s, --state <state>", "only in this state (scheduled, queued, running, succeeded, failed, cancelled)")
  .option("-n, --limit <n>", "at most this many (20 by default, up to 100)")
  .option("--json", "one JSON line per job")
  .action(async (id: string, options: { state?: string; limit?: string; json?: boolean }) => {
    const limit = options.limit === undefined ? undefined : Number(options.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 100)) {
      throw new InvalidArgumentError("--limit is a number from 1 to 100");
    }
    const jobs = await client().schedules.runs(id, { state: options.state as JobStatus["state"] | undefined, limit });
    if (jobs.length === 0 && !options.json) process.stderr.write("no runs yet: its firings have made no job\n");
    for (const job of jobs) {
      process.stdout.write(options.json ? `${JSON.stringify(job)}\n` : `${job.id} ${job.createdAt} ${line(job)}\n`);
    }
  });

/** The exit code an error means. */
function exitCodeOf(error: unknown): number {
  if (error instanceof Exit) return error.code;
  if (error instanceof CommanderError) {
    // Commander has printed its own; one an action throws (a bad combination of options) is printed here.
    if (error instanceof InvalidArgumentError) process.stderr.write(`error: ${error.message}\n`);
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof AcceptedProblem) {
    process.stderr.write(`${error.title}${error.detail ? `: ${error.detail}` : ""} (${error.status})\n`);
    // What was wrong, field by field (a 422's errors).
    const errors = Array.isArray(error.members.errors) ? (error.members.errors as unknown[]) : [];
    for (const entry of errors) {
      const { path, message } = (entry ?? {}) as { path?: unknown; message?: unknown };
      if (typeof message !== "string") continue;
      const at = Array.isArray(path) && path.length > 0 ? `${path.join(".")}: ` : "";
      process.stderr.write(`  ${at}${message}\n`);
    }
    if (error.status === 401 || error.status === 403 || error.status >= 500) return EXIT.unreachable;
    return EXIT.usage;
  }
  // fetch's own failure: nothing answered.
  process.stderr.write(
    `could not reach ${process.env.ACCEPTED_URL ?? "http://localhost:3000"}: ${(error as Error).message}\n`,
  );
  return EXIT.unreachable;
}

program.parseAsync(process.argv).then(
  () => process.exit(EXIT.ok),
  (error: unknown) => process.exit(exitCodeOf(error)),
);
