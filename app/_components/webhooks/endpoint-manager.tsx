"use client";

import { useAcceptedClient } from "@accepted/client/react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { readAgain } from "@/app/_lib/read-again";
import { createEndpoint, type Endpoint, type Ping, useEndpoints, webhookKeys } from "@/app/_lib/webhooks-api";
import { webhookEvents } from "@/db/webhook-events";
import { QueryResult } from "../query-result";
import { EndpointState, SecretShownOnce } from "./endpoint-parts";

const eventHints: Record<(typeof webhookEvents)[number], string> = {
  "job.succeeded": "a job succeeded",
  "job.failed": "a job failed after its last attempt",
  "job.cancelled": "a job was cancelled",
  "job.progress": "a running job's progress moved (many messages)",
};

function pingWords(ping: Ping): string {
  if (ping.ok) return `Your URL answered the ping with ${ping.status} in ${ping.durationMs} ms.`;
  return `The ping did not get through (${ping.error}); deliveries will be retried, and the log shows how they go.`;
}

/** Adds an endpoint; the secret and how the URL answered its ping are shown once, after. */
function NewEndpoint() {
  const client = useAcceptedClient();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<{ endpoint: Endpoint; secret: string; ping: Ping } | null>(null);
  const create = useMutation({
    mutationFn: async (form: HTMLFormElement) => {
      const data = new FormData(form);
      const jobTypes = String(data.get("jobTypes") ?? "")
        .split(",")
        .map((type) => type.trim())
        .filter(Boolean);
      return createEndpoint(client, {
        url: String(data.get("url") ?? "").trim(),
        description: String(data.get("description") ?? "").trim(),
        events: data.getAll("events").map(String),
        jobTypes: jobTypes.length > 0 ? jobTypes : null,
      });
    },
    onSuccess: (result, form) => {
      setCreated(result);
      form.reset();
      void readAgain(queryClient, webhookKeys.endpoints());
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setCreated(null);
    create.mutate(event.currentTarget);
  }

  return (
    <section className="card" aria-labelledby="new-endpoint-heading">
      <h2 id="new-endpoint-heading">New endpoint</h2>
      <form className="endpoint-form" onSubmit={onSubmit}>
        <div className="field">
          <label htmlFor="endpoint-url">URL</label>
          <input id="endpoint-url" name="url" type="url" placeholder="https://example.com/webhooks/accepted" required />
        </div>
        <div className="field">
          <label htmlFor="endpoint-description">
            Description <span className="optional"> (optional)</span>
          </label>
          <input id="endpoint-description" name="description" type="text" maxLength={200} />
        </div>
        <fieldset className="event-picker">
          <legend>Events</legend>
          {webhookEvents.map((event) => (
            <label key={event} className="check-option">
              <input type="checkbox" name="events" value={event} defaultChecked={event !== "job.progress"} />
              <code>{event}</code> <span className="muted small">{eventHints[event]}</span>
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="endpoint-types">
            Only these job types <span className="optional"> (optional)</span>
          </label>
          <input id="endpoint-types" name="jobTypes" type="text" placeholder="e.g. jobs.export, email.bulk" />
          <p className="field-hint">Comma-separated. Empty: every type.</p>
        </div>
        <button className="button" type="submit" disabled={create.isPending} style={{ justifySelf: "start" }}>
          {create.isPending ? "Checking the URL…" : "Add endpoint"}
        </button>
      </form>
      {create.error ? (
        <p className="form-error" role="alert">
          {create.error.message}
        </p>
      ) : null}
      {created ? (
        <div className="new-token" role="status">
          <p>
            <strong>{created.endpoint.url}</strong> is saved. {pingWords(created.ping)}
          </p>
          <SecretShownOnce secret={created.secret} />
        </div>
      ) : null}
    </section>
  );
}

/** The user's webhook endpoints: add one, and each with its state and a link to its page. */
export function EndpointManager() {
  const endpoints = useEndpoints();
  return (
    <div className="webhooks">
      <NewEndpoint />
      <section className="card" aria-labelledby="endpoints-heading">
        <h2 id="endpoints-heading">Your endpoints</h2>
        <QueryResult query={endpoints} empty="No endpoints yet.">
          {(items) => (
            <table className="table">
              <thead>
                <tr>
                  <th>URL</th>
                  <th>Events</th>
                  <th>State</th>
                </tr>
              </thead>
              <tbody>
                {items.map((endpoint) => (
                  <tr key={endpoint.id} data-testid="endpoint-row">
                    <td>
                      <Link href={`/settings/webhooks/${endpoint.id}`}>
                        <code>{endpoint.url}</code>
                      </Link>
                      {endpoint.description ? <div className="muted small">{endpoint.description}</div> : null}
                    </td>
                    <td className="small">{endpoint.events.join(", ")}</td>
                    <td>
                      <EndpointState endpoint={endpoint} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </QueryResult>
      </section>
    </div>
  );
}
