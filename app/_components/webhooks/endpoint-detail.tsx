"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useEndpoint, useEndpointActions } from "@/app/_lib/webhooks-api";
import { DeliveryLog } from "./delivery-log";
import { EndpointState, SecretShownOnce } from "./endpoint-parts";

/** One endpoint: what it hears, its state, what can be done to it, and its delivery log. */
export function EndpointDetail({ id }: { id: string }) {
  const endpoint = useEndpoint(id);
  const actions = useEndpointActions(id);
  const router = useRouter();
  const [secret, setSecret] = useState<string | null>(null);

  if (endpoint.isPending) return <p className="muted">Loading…</p>;
  if (endpoint.isError) {
    return (
      <div className="card">
        <h1>Endpoint not found</h1>
        <p className="muted">{endpoint.error.message}</p>
        <Link href="/settings/webhooks">Back to webhooks</Link>
      </div>
    );
  }
  const current = endpoint.data;
  const failed = [actions.update, actions.remove, actions.rotate, actions.test].find((action) => action.error);
  return (
    <article className="endpoint-detail">
      <div className="detail-nav">
        <Link href="/settings/webhooks" className="back">
          ← Webhooks
        </Link>
      </div>
      <div className="detail-head">
        <div>
          <h1>
            <code>{current.url}</code>
          </h1>
          {current.description ? <p className="muted">{current.description}</p> : null}
        </div>
        <EndpointState endpoint={current} />
      </div>

      <section className="card">
        <dl className="facts">
          <dt>Events</dt>
          <dd>{current.events.join(", ")}</dd>
          <dt>Job types</dt>
          <dd>{current.jobTypes ? current.jobTypes.join(", ") : "every type"}</dd>
          {current.disabledReason ? (
            <>
              <dt>Disabled</dt>
              <dd>{current.disabledReason}</dd>
            </>
          ) : null}
        </dl>
        <div className="actions">
          <button
            type="button"
            className="button button-small"
            disabled={actions.test.isPending}
            onClick={() => actions.test.mutate()}
          >
            Send a test event
          </button>
          <button
            type="button"
            className="button button-small button-quiet"
            disabled={actions.update.isPending}
            onClick={() =>
              actions.update.mutate({ enabled: !current.enabled }, { onSuccess: () => void endpoint.refetch() })
            }
          >
            {current.enabled ? "Disable" : "Enable"}
          </button>
          <button
            type="button"
            className="button button-small button-quiet"
            disabled={actions.rotate.isPending}
            onClick={() => actions.rotate.mutate(undefined, { onSuccess: setSecret })}
          >
            Rotate secret
          </button>
          <button
            type="button"
            className="button button-small button-danger"
            disabled={actions.remove.isPending}
            onClick={() => {
              if (window.confirm("Delete this endpoint and its delivery log?")) {
                actions.remove.mutate(undefined, { onSuccess: () => router.push("/settings/webhooks") });
              }
            }}
          >
            Delete
          </button>
        </div>
        {failed?.error ? (
          <p className="form-error" role="alert">
            {failed.error.message}
          </p>
        ) : null}
        {actions.test.isSuccess ? (
          <p className="form-success" role="status">
            Test event queued: it appears below.
          </p>
        ) : null}
        {secret ? (
          <div className="new-token" role="status">
            <p>The old secret signs nothing from now on.</p>
            <SecretShownOnce secret={secret} />
          </div>
        ) : null}
      </section>

      <section className="card">
        <h2>Deliveries</h2>
        <DeliveryLog url={`/api/webhooks/${id}/deliveries`} show="job" />
      </section>
    </article>
  );
}
