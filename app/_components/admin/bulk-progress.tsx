"use client";

import { useJob } from "@accepted/client/react";
import Link from "next/link";
import { useLiveMode } from "@/app/_lib/live";
import { ProgressBar } from "../progress-bar";
import { StateBadge } from "../state-badge";

/** A bulk action's own job, followed like any other: its progress bar and what it has done so far. */
export function BulkProgress({ jobId, onDismiss }: { jobId: string; onDismiss: () => void }) {
  const job = useJob(jobId, { updates: useLiveMode() === "live" ? "none" : "poll" }).data;
  return (
    <section
      className="card bulk-progress"
      aria-label="Bulk action"
      data-testid="bulk-progress"
      data-state={job?.state}
    >
      <div className="section-head">
        <h2>
          <Link href={`/admin/jobs/${jobId}`}>{job?.message ?? "Bulk action accepted"}</Link>
        </h2>
        <div className="row-actions">
          {job ? <StateBadge state={job.state} /> : null}
          <button type="button" className="button button-small button-quiet" onClick={onDismiss}>
            Dismiss
          </button>
        </div>
      </div>
      <div className="job-progress-row">
        <ProgressBar value={job?.progress ?? 0} state={job?.state ?? "queued"} label="Progress of the bulk action" />
        <span className="job-percent">{job?.progress ?? 0}%</span>
      </div>
    </section>
  );
}
