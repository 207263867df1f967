"use client";

import { acceptedKeys, useAcceptedClient } from "@accepted/client/react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { adminKeys, expireJobNow, useAdminJob } from "@/app/_lib/admin-api";
import { useLiveMode } from "@/app/_lib/live";
import { StateBadge } from "../state-badge";

/** What only admins see of a job: whose it is, and every state change it went through. */
export function AdminJobExtras({ id, traceViewerUrl }: { id: string; traceViewerUrl?: string }) {
  const client = useAcceptedClient();
  const queryClient = useQueryClient();
  const query = useAdminJob(id, { live: useLiveMode() === "live" });
  const purge = useMutation({
    mutationFn: () => expireJobNow(client, id),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: acceptedKeys.all });
      await queryClient.invalidateQueries({ queryKey: adminKeys.all });
    },
  });
  if (!query.data) return null;
  const { job, ownerEmail, timeline } = query.data;
  return (
    <section className="card" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      <div className="section-head">
        <p className="muted small">
          Owner: <strong data-testid="job-owner">{ownerEmail ?? "none (submitted before users existed)"}</strong>
          {job.expiresAt && !job.expiredAt ? ` · kept until ${new Date(job.expiresAt).toLocaleString()}` : ""}
          {job.traceId ? (
            <>
              {" · "}Trace: <code data-testid="job-trace-id">{job.traceId}</code>
              {traceViewerUrl ? (
                <>
                  {" "}
                  <a href={traceViewerUrl.replace("{traceId}", job.traceId)} target="_blank" rel="noreferrer">
                    open
                  </a>
                </>
              ) : null}
            </>
          ) : null}
        </p>
        {job.finishedAt && !job.expiredAt ? (
          <button
            type="button"
            className="button button-small button-danger"
            disabled={purge.isPending}
            onClick={() => purge.mutate()}
          >
            Purge now
          </button>
        ) : null}
      </div>
      {purge.error ? (
        <p className="form-error" role="alert">
          {purge.error.message}
        </p>
      ) : null}
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
