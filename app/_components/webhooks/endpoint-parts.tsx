"use client";

import type { Endpoint } from "@/app/_lib/webhooks-api";

/** Enabled, failing (since when), or disabled (and why). */
export function EndpointState({ endpoint }: { endpoint: Endpoint }) {
  if (!endpoint.enabled) {
    return (
      <span className="endpoint-state disabled" title={endpoint.disabledReason ?? undefined}>
        Disabled
      </span>
    );
  }
  if (endpoint.failingSince) {
    return (
      <span className="endpoint-state failing">Failing since {new Date(endpoint.failingSince).toLocaleString()}</span>
    );
  }
  return <span className="endpoint-state enabled">Enabled</span>;
}

/** A signing secret, once: the server keeps it but never shows it again. */
export function SecretShownOnce({ secret }: { secret: string }) {
  return (
    <>
      <p>Its signing secret: copy it now, it is not shown again.</p>
      <code data-testid="webhook-secret">{secret}</code>
    </>
  );
}
