"use client";

import { useJobList } from "@/app/_lib/api";
import { LiveIndicator, useLiveMode } from "@/app/_lib/live";
import { JobCard } from "./job-card";
import { useNow } from "./use-now";

export function JobList() {
  const jobs = useJobList({ live: useLiveMode() === "live" });
  const now = useNow();

  return (
    <section className="card job-list" aria-labelledby="jobs-heading">
      <div className="section-head">
        <h2 id="jobs-heading">Your jobs</h2>
        <LiveIndicator />
      </div>
      {jobs.isPending ? (
        <p className="muted">Loading your jobs…</p>
      ) : jobs.isError ? (
        <p className="form-error" role="alert">
          Could not load your jobs: {jobs.error.message}
        </p>
      ) : jobs.data.length === 0 ? (
        <div className="empty">
          <p>No jobs yet.</p>
          <p className="muted small">Start one with the form; it will appear here and report its progress.</p>
        </div>
      ) : (
        <ul className="jobs">
          {jobs.data.map((job) => (
            <JobCard key={job.id} job={job} now={now} />
          ))}
        </ul>
      )}
    </section>
  );
}
