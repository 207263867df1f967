"use client";

import { type AcceptedClient, AcceptedProblem } from "@accepted/client";
import { type SubmitRequest, useAcceptedClient, useSubmitJob } from "@accepted/client/react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { jobKeys, useUsage } from "@/app/_lib/api";
import { localTime } from "@/app/_lib/format";
import { readAgain } from "@/app/_lib/read-again";
import type { InputFieldSchema, JobTypeSummary } from "@/lib/jobs/registry";

type FieldErrors = Record<string, string>;

// Input fields live under "input.": a job type may have an input called
// "type", which must not collide with the job type picker.
const fieldName = (name: string) => `input.${name}`;

/**
 * Reads the form's values back into the shape the job type's schema expects.
 * A file field is uploaded first (POST /api/uploads) and its id goes in the
 * input; a rejected file is reported as that field's error.
 */
async function readInput(
  client: AcceptedClient,
  form: HTMLFormElement,
  fields: [string, InputFieldSchema][],
): Promise<Record<string, unknown>> {
  const data = new FormData(form);
  const input: Record<string, unknown> = {};
  for (const [name, field] of fields) {
    const raw = data.get(fieldName(name));
    if (field.contentMediaType) {
      if (raw instanceof File && raw.size > 0) input[name] = await uploadAs(client, name, raw);
    } else if (field.type === "boolean") {
      input[name] = raw === "on";
    } else if (typeof raw === "string" && raw !== "") {
      input[name] = field.type === "integer" || field.type === "number" ? Number(raw) : raw;
    }
  }
  return input;
}

async function uploadAs(client: AcceptedClient, name: string, file: File): Promise<string> {
  try {
    return (await client.upload(file)).id;
  } catch (error) {
    if (!(error instanceof AcceptedProblem)) throw error;
    // Shown under the file field, like any other input error.
    throw new AcceptedProblem({ ...error.problem, errors: [{ path: ["input", name], message: error.detail }] });
  }
}

/** When a job may start: now, or after a delay, sent as runAt in seconds (the server's clock counts it). */
const START_CHOICES = [
  { label: "Now", seconds: 0 },
  { label: "In 1 minute", seconds: 60 },
  { label: "In 10 minutes", seconds: 600 },
  { label: "In 1 hour", seconds: 3_600 },
] as const;

function fieldErrorsOf(error: unknown): FieldErrors {
  if (!(error instanceof AcceptedProblem) || !Array.isArray(error.members.errors)) return {};
  const errors: FieldErrors = {};
  for (const issue of error.members.errors as { path?: unknown[]; message?: string }[]) {
    const field = issue.path?.[0] === "input" ? issue.path[1] : undefined;
    if (typeof field === "string" && issue.message) errors[field] = issue.message;
  }
  return errors;
}

function Field({
  name,
  field,
  required,
  error,
}: {
  name: string;
  field: InputFieldSchema;
  required: boolean;
  error?: string;
}) {
  const id = `field-${name}`;
  const label = field.title ?? name;
  const describedBy = error ? `${id}-error` : field.description ? `${id}-hint` : undefined;
  let control: React.ReactNode;
  if (field.contentMediaType) {
    control = (
      <input
        id={id}
        name={fieldName(name)}
        type="file"
        accept={`${field.contentMediaType},.csv`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
    );
  } else if (field.type === "string" && (field.maxLength ?? 0) > 500) {
    control = (
      <textarea
        id={id}
        name={fieldName(name)}
        rows={5}
        maxLength={field.maxLength}
        defaultValue={field.default as string | undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
    );
  } else if (field.enum) {
    control = (
      <select
        id={id}
        name={fieldName(name)}
        defaultValue={(field.default as string) ?? ""}
        aria-describedby={describedBy}
      >
        {required ? null : <option value="">Any</option>}
        {field.enum.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  } else if (field.type === "boolean") {
    control = <input id={id} name={fieldName(name)} type="checkbox" defaultChecked={field.default === true} />;
  } else if (field.type === "integer" || field.type === "number") {
    control = (
      <input
        id={id}
        name={fieldName(name)}
        type="number"
        inputMode="numeric"
        step={field.type === "integer" ? 1 : "any"}
        min={field.minimum}
        max={field.maximum}
        defaultValue={field.default as number | undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
    );
  } else {
    control = (
      <input
        id={id}
        name={fieldName(name)}
        type={field.format === "email" ? "email" : "text"}
        maxLength={field.maxLength}
        defaultValue={field.default as string | undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required ? null : <span className="optional"> (optional)</span>}
      </label>
      {control}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : field.description ? (
        <p className="field-hint" id={`${id}-hint`}>
          {field.description}
        </p>
      ) : null}
    </div>
  );
}

/** The start form, its fields generated from the chosen job type's input schema. */
export function StartJobForm({ jobTypes }: { jobTypes: JobTypeSummary[] }) {
  const [type, setType] = useState(jobTypes[0]?.type ?? "");
  const queryClient = useQueryClient();
  const chosen = jobTypes.find((jobType) => jobType.type === type);
  const fields = Object.entries(chosen?.inputSchema.properties ?? {});
  const required = new Set(chosen?.inputSchema.required ?? []);

  const client = useAcceptedClient();
  // Files are uploaded first (their ids go in the input), then the job is submitted.
  const reading = useMutation({ mutationFn: (form: HTMLFormElement) => readInput(client, form, fields) });
  const submit = useSubmitJob();
  const submitted = submit.data;
  const start = {
    error: reading.error ?? submit.error,
    isPending: reading.isPending || submit.isPending,
    isSuccess: submit.isSuccess,
    reset() {
      reading.reset();
      submit.reset();
    },
  };
  const fieldErrors = fieldErrorsOf(start.error);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    start.reset();
    const input = await reading.mutateAsync(form).catch(() => null);
    if (!input) return;
    // The form is built from the server's own schemas, so its input fits the type chosen.
    const runAt = Number(data.get("runAt") ?? 0);
    const request = {
      type,
      input,
      notifyWhenDone: data.get("notifyWhenDone") === "on",
      ...(runAt > 0 ? { runAt } : {}),
    };
    submit.mutate(request as SubmitRequest, {
      onSuccess: () => readAgain(queryClient, jobKeys.list()),
      onSettled: () => queryClient.invalidateQueries({ queryKey: jobKeys.usage() }),
    });
  }

  return (
    <form className="card start-form" onSubmit={onSubmit} aria-labelledby="start-heading">
      <h2 id="start-heading">Start a job</h2>
      <fieldset className="type-picker">
        <legend>Job type</legend>
        {jobTypes.map((jobType) => (
          <label key={jobType.type} className="type-option" data-checked={jobType.type === type}>
            <input
              type="radio"
              name="type"
              value={jobType.type}
              checked={jobType.type === type}
              onChange={() => {
                setType(jobType.type);
                start.reset();
              }}
            />
            <span className="type-title">{jobType.title}</span>
            <span className="type-description">{jobType.description}</span>
          </label>
        ))}
      </fieldset>
      {/* Remount the fields per type, so defaults come from the new schema. */}
      <div className="fields" key={type}>
        {fields.map(([name, field]) => (
          <Field key={name} name={name} field={field} required={required.has(name)} error={fieldErrors[name]} />
        ))}
      </div>
      <div className="field">
        <label htmlFor="start-at">Start</label>
        <select id="start-at" name="runAt" defaultValue="0">
          {START_CHOICES.map((choice) => (
            <option key={choice.seconds} value={choice.seconds}>
              {choice.label}
            </option>
          ))}
        </select>
      </div>
      <label className="check-option">
        <input type="checkbox" name="notifyWhenDone" />
        Email me when it is done
      </label>
      {start.error && Object.keys(fieldErrors).length === 0 ? (
        <p className="form-error" role="alert">
          {start.error.message}
        </p>
      ) : null}
      <button className="button" type="submit" disabled={start.isPending || !chosen}>
        {start.isPending ? "Starting…" : "Start job"}
      </button>
      {start.isSuccess ? (
        <p className="form-success" role="status">
          {submitted?.state === "scheduled" && submitted.runAt
            ? `Scheduled for ${localTime(submitted.runAt, { seconds: true })}: it waits in the list until then.`
            : "Accepted. Follow it in the list."}
        </p>
      ) : null}
      {/* At the cap, the refusal above says it already: the line below just counts. */}
      <UsageLine quiet={start.error instanceof AcceptedProblem && start.error.status === 429} />
    </form>
  );
}

const count = (n: number) => n.toLocaleString("en");

const jobs = (n: number) => `${count(n)} unfinished ${n === 1 ? "job" : "jobs"}`;

/** How many unfinished jobs you have against your cap, and plainly when you are at it. */
function UsageLine({ quiet }: { quiet: boolean }) {
  const usage = useUsage().data;
  if (!usage) return null;
  if (usage.unfinished >= usage.cap && !quiet) {
    return (
      <p className="form-error" data-testid="usage" role="status">
        You have {jobs(usage.unfinished)}, the most you may have at once. New jobs are refused until some finish, or you
        cancel some.
      </p>
    );
  }
  return (
    <p className="muted small" data-testid="usage">
      {count(usage.unfinished)} of at most {jobs(usage.cap)}
    </p>
  );
}
