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

const line = (job: JobStatus) => {
  const left = secondsLeft(job);
  return `${job.state} ${job.progress}%${job.message ? ` ${job.message}` : ""}${left === null ? "" : ` (about ${left} s left)`}`;
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
  if (handle.last) print.show(handle.last);
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

const program = new Command("accepted")
  .description("Run and follow long operations on Accepted (ACCEPTED_URL, ACCEPTED_TOKEN).")
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

program
  .command("submit")
  .description("Submit a job; with --follow, follow it to its end")
  .argument("<type>", "the job type, e.g. demo.steps")
  .option("-i, --input <json>", "its input: JSON, or @file", "{}")
  .option("-f, --follow", "follow it to its end (exit 0 succeeded, 1 failed or cancelled)")
  .option("--notify", "email me when it is done")
  .option("--no-logs", "with --follow, leave out the job's log lines (--json never has them)")
  .option("--json", "one JSON line per change")
  .action(
    async (
      type: string,
      options: { input: string; follow?: boolean; json?: boolean; notify?: boolean; logs: boolean },
    ) => {
      const input = await parseInput(options.input);
      const handle = await client().submit(type as JobType, input as never, { notifyWhenDone: options.notify });
      if (!options.follow) {
        process.stdout.write(options.json ? `${JSON.stringify(handle.last)}\n` : `${handle.id}\n`);
        return;
      }
      // --json prints job states only, one kind of line; the log is for a person reading along.
      const output = outputOf(options);
      throw new Exit(await followToEnd(handle, output, { logs: options.logs && output !== "json" }));
    },
  );

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
  .option("-s, --state <state>", "only in this state (queued, running, succeeded, failed, cancelled)")
  .option("--json", "one JSON line per job")
  .action(async (options: { state?: string; json?: boolean }) => {
    const jobs = await client().jobs({ state: options.state as JobStatus["state"] | undefined });
    for (const job of jobs) {
      process.stdout.write(options.json ? `${JSON.stringify(job)}\n` : `${job.id} ${job.type} ${line(job)}\n`);
    }
  });

/** The exit code an error means. */
function exitCodeOf(error: unknown): number {
  if (error instanceof Exit) return error.code;
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof AcceptedProblem) {
    process.stderr.write(`${error.title}${error.detail ? `: ${error.detail}` : ""} (${error.status})\n`);
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
