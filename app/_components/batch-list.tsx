"use client";

import { useAcceptedClient } from "@accepted/client/react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { BATCH_PAGE, type BatchStatus, cancelBatch, jobKeys, useBatches, useBatchJobs } from "@/app/_lib/api";
import { etaInWords, shortId, timeAgo } from "@/app/_lib/format";
import { useLiveMode } from "@/app/_lib/live";
import { JobCard } from "./job-card";
import { ProgressBar } from "./progress-bar";
import { useNow } from "./use-now";

const STATE_LABELS: Record<BatchStatus["state"], string> = {
  queued: "Queued",
  running: "Running",
  finished: "Finished",
};

/** "412 succeeded · 3 failed · 585 queued": the states its jobs are in, the empty ones left out. */
function countsInWords(batch: BatchStatus): string {
  const order = ["running", "queued", "scheduled", "succeeded", "failed", "cancelled"] as const;
  return order
    .filter((state) => batch.counts[state] > 0)
    .map((state) => `${batch.counts[state].toLocaleString("en")} ${state}`)
    .join(" · ");
}

function BatchJobs({ batch, now }: { batch: BatchStatus; now: number }) {
  const jobs = useBatchJobs(batch.id, { enabled: true });
  if (jobs.isPending) return <p className="muted small">Loading its jobs…</p>;
  if (jobs.isError) return <p className="form-error">Could not load its jobs: {jobs.error.message}</p>;
  return (
    <>
      <ul className="jobs batch-jobs">
        {jobs.data.map((job) => (
          <JobCard key={job.id} job={job} now={now} />
        ))}
      </ul>
      {batch.size > BATCH_PAGE ? (
        <p className="muted small">
          The newest {BATCH_PAGE} of {batch.size.toLocaleString("en")}; all of them at <code>{batch.links.jobs}</code>.
        </p>
      ) : null}
    </>
  );
}

function BatchRow({ batch, now }: { batch: BatchStatus; now: number }) {
  const [open, setOpen] = useState(false);
  const client = useAcceptedClient();
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => cancelBatch(client, batch),
    onSettled: () => queryClient.invalidateQueries({ queryKey: jobKeys.batches() }),
  });
  const title = `Batch of ${batch.size.toLocaleString("en")} ${batch.size === 1 ? "job" : "jobs"}`;
  const eta = batch.state === "finished" ? null : etaInWords(batch.estimatedCompletionAt, now);
  return (
    <li className="job-card batch-card" data-testid="batch-card" data-batch-id={batch.id} data-state={batch.state}>
      <div className="job-card-head">
        <div>
          <span className="job-title">{title}</span>
          <div className="job-meta">
            <code>{shortId(batch.id)}</code> · submitted {timeAgo(batch.createdAt, now)}
          </div>
        </div>
        <span className="badge" data-state={batch.state === "finished" ? "succeeded" : batch.state}>
          {STATE_LABELS[batch.state]}
        </span>
      </div>
      <div className="job-progress-row">
        <ProgressBar
          value={batch.progress}
          state={batch.state === "finished" ? "succeeded" : batch.state}
          label={`Progress of the ${title.toLowerCase()}`}
        />
        <span className="job-percent">{batch.progress}%</span>
      </div>
      <div className="job-card-foot">
        <p className="job-message" data-testid="batch-counts">
          {countsInWords(batch)}
          {batch.paused > 0 ? ` (${batch.paused.toLocaleString("en")} paused)` : ""}
          {eta ? <span className="job-eta"> · {eta}</span> : null}
        </p>
        <div className="job-actions">
          {batch.state !== "finished" ? (
            <button
              className="button button-small button-danger"
              type="button"
              disabled={cancel.isPending}
              onClick={() => cancel.mutate()}
            >
              Cancel the rest
            </button>
          ) : null}
          <button
            className="button button-small button-quiet"
            type="button"
            aria-expanded={open}
            onClick={() => setOpen(!open)}
          >
            {open ? "Hide its jobs" : "Show its jobs"}
          </button>
        </div>
      </div>
      {cancel.error ? (
        <p className="form-error" role="alert">
          {cancel.error.message}
        </p>
      ) : null}
      {open ? <BatchJobs batch={batch} now={now} /> : null}
    </li>
  );
}

/** Your batches, each one row with its own bar that opens to its jobs; nothing when you have none. */
export function BatchList() {
  const batches = useBatches({ live: useLiveMode() === "live" });
  const now = useNow();
  if (!batches.data || batches.data.length === 0) return null;
  return (
    <section className="card job-list" aria-labelledby="batches-heading">
      <div className="section-head">
        <h2 id="batches-heading">Your batches</h2>
      </div>
      <ul className="jobs">
        {batches.data.map((batch) => (
          <BatchRow key={batch.id} batch={batch} now={now} />
        ))}
      </ul>
    </section>
  );
}
