"use client";

import { useAcceptedClient } from "@accepted/client/react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { type AdminFilters, adminKeys, startBulkAction, useAdminJobs } from "@/app/_lib/admin-api";
import { shortId, timeAgo } from "@/app/_lib/format";
import { useLiveMode } from "@/app/_lib/live";
import { JobActions } from "../job-actions";
import { JobBadge } from "../job-badge";
import { ProgressBar } from "../progress-bar";
import { useNow } from "../use-now";
import { AdminFilterBar } from "./admin-filter-bar";
import { BulkProgress } from "./bulk-progress";

type BulkTarget = "selected" | "matching";
type Action = "retry" | "cancel";

/** Every owner's jobs, filtered; single and bulk retry and cancel. */
export function AdminJobTable({
  filters,
  jobTypes,
}: {
  filters: AdminFilters;
  jobTypes: { type: string; title: string }[];
}) {
  const client = useAcceptedClient();
  const queryClient = useQueryClient();
  const now = useNow();
  const jobs = useAdminJobs(filters, { live: useLiveMode() === "live" });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState<Action | null>(null);
  const [bulkJobId, setBulkJobId] = useState<string | null>(null);

  const bulk = useMutation({
    mutationFn: ({ action, target }: { action: Action; target: BulkTarget }) =>
      startBulkAction(client, action, target === "selected" ? { jobIds: [...selected] } : { filter: filters }),
    onSuccess: (job) => {
      setBulkJobId(job.id);
      setSelected(new Set());
      setConfirming(null);
      void queryClient.invalidateQueries({ queryKey: adminKeys.all });
    },
  });

  const items = jobs.data?.pages.flatMap((page) => page.items) ?? [];
  const allShownSelected = items.length > 0 && items.every((job) => selected.has(job.id));
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const toggleAll = () => setSelected(allShownSelected ? new Set() : new Set(items.map((job) => job.id)));

  return (
    <div className="admin-jobs">
      <AdminFilterBar filters={filters} jobTypes={jobTypes} />

      {bulkJobId ? <BulkProgress jobId={bulkJobId} onDismiss={() => setBulkJobId(null)} /> : null}

      <div className="bulk-bar" role="toolbar" aria-label="Bulk actions">
        <span className="muted small">{selected.size} selected</span>
        <button
          type="button"
          className="button button-small button-quiet"
          disabled={selected.size === 0 || bulk.isPending}
          onClick={() => bulk.mutate({ action: "retry", target: "selected" })}
        >
          Retry selected
        </button>
        <button
          type="button"
          className="button button-small button-danger"
          disabled={selected.size === 0 || bulk.isPending}
          onClick={() => bulk.mutate({ action: "cancel", target: "selected" })}
        >
          Cancel selected
        </button>
        <span className="bulk-separator" aria-hidden="true" />
        {confirming ? (
          <>
            <span className="small">
              {confirming === "retry" ? "Retry every failed job" : "Cancel every queued or running job"} matching these
              filters?
            </span>
            <button
              type="button"
              className="button button-small button-danger"
              disabled={bulk.isPending}
              onClick={() => bulk.mutate({ action: confirming, target: "matching" })}
            >
              Yes, {confirming} all matching
            </button>
            <button type="button" className="button button-small button-quiet" onClick={() => setConfirming(null)}>
              No
            </button>
          </>
        ) : (
          <>
            <button type="button" className="button button-small button-quiet" onClick={() => setConfirming("retry")}>
              Retry all matching…
            </button>
            <button type="button" className="button button-small button-quiet" onClick={() => setConfirming("cancel")}>
              Cancel all matching…
            </button>
          </>
        )}
        {bulk.error ? (
          <span className="field-error" role="alert">
            {bulk.error.message}
          </span>
        ) : null}
      </div>

      <section className="card table-card">
        {jobs.isPending ? (
          <p className="muted">Loading jobs…</p>
        ) : jobs.isError ? (
          <p className="form-error" role="alert">
            {jobs.error.message}
          </p>
        ) : items.length === 0 ? (
          <p className="muted">No job matches these filters.</p>
        ) : (
          <table className="table jobs-table">
            <thead>
              <tr>
                <th>
                  <input
                    type="checkbox"
                    aria-label="Select all shown jobs"
                    checked={allShownSelected}
                    onChange={toggleAll}
                  />
                </th>
                <th>Job</th>
                <th>Owner</th>
                <th>State</th>
                <th>Progress</th>
                <th>Attempts</th>
                <th>Created</th>
                <th>Changed</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {items.map((job) => (
                <tr key={job.id} data-testid="admin-job-row" data-job-id={job.id} data-state={job.state}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select job ${shortId(job.id)}`}
                      checked={selected.has(job.id)}
                      onChange={() => toggle(job.id)}
                    />
                  </td>
                  <td>
                    <Link href={`/admin/jobs/${job.id}`}>{job.title}</Link>
                    <div className="muted small">
                      <code>{shortId(job.id)}</code>
                      {job.error ? ` · ${job.error.detail ?? job.error.title}` : ""}
                    </div>
                  </td>
                  <td className="small">{job.ownerEmail ?? "—"}</td>
                  <td>
                    <JobBadge job={job} />
                  </td>
                  <td className="progress-cell">
                    <ProgressBar value={job.progress} state={job.state} label={`Progress of ${shortId(job.id)}`} />
                  </td>
                  <td>
                    {job.attempts}/{job.maxAttempts}
                  </td>
                  <td className="small">{timeAgo(job.createdAt, now)}</td>
                  <td className="small">{timeAgo(job.updatedAt, now)}</td>
                  <td className="row-actions">
                    <JobActions job={job} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {jobs.hasNextPage ? (
          <button
            type="button"
            className="button button-small button-quiet load-more"
            disabled={jobs.isFetchingNextPage}
            onClick={() => void jobs.fetchNextPage()}
          >
            {jobs.isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        ) : null}
      </section>
    </div>
  );
}
