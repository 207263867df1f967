"use client";

import Link from "next/link";
import { type Delivery, useDeliveries, useRedeliver } from "@/app/_lib/webhooks-api";
import { QueryResult } from "../query-result";
import { useNow } from "../use-now";
import { When } from "../when";

const stateLabels: Record<Delivery["state"], string> = {
  pending: "Retrying",
  delivered: "Delivered",
  failed: "Failed",
};

function Attempts({ delivery, now }: { delivery: Delivery; now: number }) {
  if (delivery.attempts.length === 0) return <span className="muted">Not tried yet</span>;
  return (
    <ol className="delivery-attempts">
      {delivery.attempts.map((attempt) => (
        <li key={attempt.at} data-testid="delivery-attempt">
          <span className={`http-status ${attempt.status && attempt.status < 300 ? "ok" : "bad"}`}>
            {attempt.status ?? "—"}
          </span>{" "}
          <span className="muted small">
            {attempt.durationMs} ms · <When iso={attempt.at} now={now} />
          </span>
          {attempt.error && attempt.status === null ? <span className="small"> {attempt.error}</span> : null}
          {attempt.responseStart ? <code className="response-start">{attempt.responseStart.slice(0, 120)}</code> : null}
        </li>
      ))}
    </ol>
  );
}

/**
 * A delivery log: each message (event, endpoint or job, state) with every
 * attempt (time, HTTP status, latency, the start of the response), and
 * "Redeliver" for the owner's messages.
 */
export function DeliveryLog({
  url,
  show,
  canRedeliver = true,
  showOwner = false,
  empty = "No deliveries yet.",
}: {
  /** Where the log is read: an endpoint's, a job's, or the admin's. */
  url: string;
  /** Which column says where the message went or what it was about. */
  show: "endpoint" | "job";
  canRedeliver?: boolean;
  /** Whose endpoint each is: the admin console's log has everyone's. */
  showOwner?: boolean;
  empty?: string;
}) {
  const log = useDeliveries(url);
  const redeliver = useRedeliver();
  const now = useNow(5_000);
  return (
    <QueryResult query={log} empty={empty}>
      {(deliveries) => (
        <table className="table delivery-log">
          <thead>
            <tr>
              <th>Event</th>
              <th>{show === "endpoint" ? "Endpoint" : "Job"}</th>
              <th>State</th>
              <th>Attempts</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {deliveries.map((delivery) => (
              <tr key={delivery.id} data-testid="delivery-row" data-state={delivery.state}>
                <td>
                  <code>{delivery.event}</code>
                  <div className="muted small">
                    <When iso={delivery.createdAt} now={now} />
                  </div>
                </td>
                <td className="delivery-target">
                  {show === "endpoint" ? (
                    <>
                      <code>{delivery.endpointUrl}</code>
                      {showOwner ? (
                        <div className="muted small" data-testid="delivery-owner">
                          {delivery.ownerEmail ?? delivery.ownerId}
                        </div>
                      ) : null}
                    </>
                  ) : delivery.jobId ? (
                    <Link href={`/jobs/${delivery.jobId}`}>job {delivery.jobId.slice(0, 8)}</Link>
                  ) : (
                    <span className="muted">test event</span>
                  )}
                </td>
                <td>
                  <span className={`delivery-state ${delivery.state}`}>{stateLabels[delivery.state]}</span>
                  {delivery.nextAttemptAt && delivery.attempts.length > 0 ? (
                    <div className="muted small">
                      next <When iso={delivery.nextAttemptAt} now={now} />
                    </div>
                  ) : null}
                </td>
                <td>
                  <Attempts delivery={delivery} now={now} />
                </td>
                <td className="row-actions">
                  {canRedeliver && delivery.state !== "pending" ? (
                    <button
                      type="button"
                      className="button button-small button-quiet"
                      disabled={redeliver.isPending}
                      onClick={() => redeliver.mutate(delivery)}
                    >
                      Redeliver
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </QueryResult>
  );
}
