"use client";

import { AcceptedProblem } from "@accepted/client";
import { type FormEvent, useEffect, useState } from "react";
import { localTime, localTimeZone } from "@/app/_lib/format";
import { useCreateSchedule } from "@/app/_lib/schedules-api";
import type { JobTypeSummary } from "@/lib/jobs/registry";

type Field = "type" | "input" | "cron" | "timezone" | "concurrencyKey";
type FieldErrors = Partial<Record<Field, string>>;

const FIELDS: readonly Field[] = ["type", "input", "cron", "timezone", "concurrencyKey"];

// A schedule fires again and again: a short demo suits it better than the start form's default.
const SUGGESTED_INPUT: Record<string, Record<string, unknown>> = { "demo.steps": { steps: 3, stepMs: 500 } };

/** The input a new schedule of this type starts from: its schema's defaults, and its required fields to fill. */
function defaultInput(jobType: JobTypeSummary | undefined): string {
  if (!jobType) return "{}";
  const suggested = SUGGESTED_INPUT[jobType.type];
  if (suggested) return JSON.stringify(suggested, null, 2);
  const required = new Set(jobType.inputSchema.required ?? []);
  const input: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(jobType.inputSchema.properties ?? {})) {
    if (field.default !== undefined) input[name] = field.default;
    else if (required.has(name)) input[name] = field.type === "integer" || field.type === "number" ? 0 : "";
  }
  return JSON.stringify(input, null, 2);
}

/**
 * The problem's errors by field: `["cron"]` is the cron's, `["input", "steps"]` the input's (named, as the
 * input is one text box). One naming no field (`[]`, too many schedules) is the problem's detail, shown above.
 */
function fieldErrorsOf(error: unknown): FieldErrors {
  if (!(error instanceof AcceptedProblem) || !Array.isArray(error.members.errors)) return {};
  const errors: FieldErrors = {};
  for (const issue of error.members.errors as { path?: unknown[]; message?: string }[]) {
    const [head, ...rest] = issue.path ?? [];
    const field = FIELDS.find((name) => name === head);
    if (!field || !issue.message) continue;
    const message = field === "input" && rest.length > 0 ? `${rest.join(".")}: ${issue.message}` : issue.message;
    errors[field] = errors[field] ? `${errors[field]}; ${message}` : message;
  }
  return errors;
}

/** A labelled control with its hint, or its error in the hint's place. */
function Labelled({
  id,
  label,
  optional,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  optional?: boolean;
  hint?: React.ReactNode;
  error?: string;
  children: React.ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {optional ? <span className="optional"> (optional)</span> : null}
      </label>
      {children}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** aria attributes tying a control to its error, or to its hint. */
const ariaFor = (id: string, error: string | undefined, hint = true) => ({
  "aria-invalid": error ? true : undefined,
  "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined,
});

/** Makes a schedule: a job type and its input (JSON), a cron expression, a time zone, a concurrency key. */
export function NewSchedule({ jobTypes }: { jobTypes: JobTypeSummary[] }) {
  const [type, setType] = useState(jobTypes[0]?.type ?? "");
  const [input, setInput] = useState(() => defaultInput(jobTypes[0]));
  const [inputError, setInputError] = useState<string | null>(null);
  // The browser's zone, read once mounted (the server rendering this does not know it).
  const [timezone, setTimezone] = useState("");
  const [zones, setZones] = useState<string[]>([]);
  useEffect(() => {
    setTimezone((typed) => typed || localTimeZone());
    setZones(Intl.supportedValuesOf("timeZone"));
  }, []);
  const create = useCreateSchedule();
  const errors = fieldErrorsOf(create.error);
  if (inputError) errors.input = inputError;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    create.reset();
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch (error) {
      setInputError(`Not JSON: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    setInputError(null);
    const concurrencyKey = String(data.get("concurrencyKey") ?? "").trim();
    create.mutate(
      {
        type,
        input: parsed,
        cron: String(data.get("cron") ?? "").trim(),
        timezone: timezone.trim(),
        concurrencyKey: concurrencyKey === "" ? null : concurrencyKey,
      },
      {
        onSuccess: () => {
          // Ready for another: the same type and input, a new cron.
          (form.elements.namedItem("cron") as HTMLInputElement | null)?.focus();
        },
      },
    );
  }

  const otherError =
    create.error && Object.keys(fieldErrorsOf(create.error)).length === 0 ? create.error.message : null;

  return (
    <form className="card start-form" onSubmit={onSubmit} aria-labelledby="new-schedule-heading" noValidate>
      <h2 id="new-schedule-heading">New schedule</h2>
      {create.error && !otherError ? (
        <p className="form-error" role="alert">
          {create.error.message}
        </p>
      ) : null}
      <Labelled id="schedule-type" label="Job type" error={errors.type}>
        <select
          id="schedule-type"
          name="type"
          value={type}
          onChange={(event) => {
            const chosen = jobTypes.find((jobType) => jobType.type === event.target.value);
            setType(event.target.value);
            setInput(defaultInput(chosen));
            setInputError(null);
            create.reset();
          }}
          {...ariaFor("schedule-type", errors.type, false)}
        >
          {jobTypes.map((jobType) => (
            <option key={jobType.type} value={jobType.type}>
              {jobType.title}
            </option>
          ))}
        </select>
      </Labelled>
      <Labelled
        id="schedule-input"
        label="Input (JSON)"
        hint="What each run is given, as the start form would send it."
        error={errors.input}
      >
        <textarea
          id="schedule-input"
          name="input"
          className="code-input"
          rows={5}
          spellCheck={false}
          value={input}
          onChange={(event) => setInput(event.target.value)}
          {...ariaFor("schedule-input", errors.input)}
        />
      </Labelled>
      <Labelled
        id="schedule-cron"
        label="Cron expression"
        hint={
          <>
            Five fields, or six with seconds first. <code>*/30 * * * * *</code>: every 30 s;{" "}
            <code>0 9 * * MON-FRI</code>: weekdays at 09:00.
          </>
        }
        error={errors.cron}
      >
        <input
          id="schedule-cron"
          name="cron"
          type="text"
          className="code-input"
          placeholder="0 9 * * MON-FRI"
          required
          maxLength={200}
          spellCheck={false}
          autoComplete="off"
          {...ariaFor("schedule-cron", errors.cron)}
        />
      </Labelled>
      <Labelled
        id="schedule-timezone"
        label="Time zone"
        hint="The cron is read in this zone (IANA name), summer time included."
        error={errors.timezone}
      >
        <input
          id="schedule-timezone"
          name="timezone"
          type="text"
          list="schedule-timezones"
          value={timezone}
          onChange={(event) => setTimezone(event.target.value)}
          required
          maxLength={64}
          spellCheck={false}
          autoComplete="off"
          {...ariaFor("schedule-timezone", errors.timezone)}
        />
      </Labelled>
      <datalist id="schedule-timezones">
        {zones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <Labelled
        id="schedule-key"
        label="Concurrency key"
        optional
        hint="While a run with this key is unfinished, a firing makes no second job."
        error={errors.concurrencyKey}
      >
        <input
          id="schedule-key"
          name="concurrencyKey"
          type="text"
          maxLength={200}
          autoComplete="off"
          {...ariaFor("schedule-key", errors.concurrencyKey)}
        />
      </Labelled>
      {otherError ? (
        <p className="form-error" role="alert">
          {otherError}
        </p>
      ) : null}
      <button className="button" type="submit" disabled={create.isPending || !type}>
        {create.isPending ? "Creating…" : "Create schedule"}
      </button>
      {create.isSuccess ? (
        <p className="form-success" role="status">
          Schedule created
          {create.data.nextRunAt ? `: it fires next on ${localTime(create.data.nextRunAt, { seconds: true })}` : ""}.
        </p>
      ) : null}
    </form>
  );
}
