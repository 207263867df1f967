"use client";

import { useAdminJob } from "@/app/_lib/admin-api";
import { useLiveMode } from "@/app/_lib/live";
import { StateBadge } from "../state-badge";

/** What only admins see of a job: whose it is, and every state change it went through. */
export function AdminJobExtras({ id }: { id: string }) {
  const query = useAdminJob(id, { live: useLiveMode() === "live" });
  if (!query.data) return null;
  const { ownerEmail, timeline } = query.data;
  return (
    <section className="card" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      <p className="muted small">
        Owner: <strong data-testid="job-owner">{ownerEmail ?? "none (submitted before users existed)"}</strong>
      </p>
      <ol className="timeline">
        {timeline.map((event, index) => (
          // Events are append-only, so their position is a stable key.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above.
          <li key={index} data-testid="timeline-event">
            <time dateTime={event.at}>{new Date(event.at).toLocaleTimeString()}</time>
            <StateBadge state={event.state} />
            <span className="muted small">{event.attempt > 0 ? `attempt ${event.attempt}` : ""}</span>
            {event.detail ? <span className="timeline-detail">{event.detail}</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
