"use client";

import Link from "next/link";
import type { JobStatus } from "@/app/_lib/api";
import { shortId, timeAgo } from "@/app/_lib/format";
import { JobActions } from "./job-actions";
import { JobBadge } from "./job-badge";
import { JobMessage } from "./job-message";
import { ProgressBar } from "./progress-bar";
import { ResultLink } from "./result-link";

export function JobCard({ job, now }: { job: JobStatus; now: number }) {
  return (
    <li className="job-card" data-testid="job-card" data-job-id={job.id} data-state={job.state}>
      <div className="job-card-head">
        <div>
          <Link className="job-title" href={`/jobs/${job.id}`}>
            {job.title}
          </Link>
          <div className="job-meta">
            <code>{shortId(job.id)}</code> · {job.scheduleId ? "made by a schedule" : "submitted"}{" "}
            {timeAgo(job.createdAt, now)}
            {job.attempts > 1 ? ` · attempt ${job.attempts} of ${job.maxAttempts}` : ""}
          </div>
        </div>
        <JobBadge job={job} />
      </div>
      <div className="job-progress-row">
        <ProgressBar value={job.progress} state={job.state} label={`Progress of ${job.title}`} />
        <span className="job-percent">{job.progress}%</span>
      </div>
      <div className="job-card-foot">
        <JobMessage job={job} now={now} />
        <div className="job-actions">
          <JobActions job={job} />
          <ResultLink job={job} />
        </div>
      </div>
      {job.error ? (
        <p className="job-error" role="alert">
          <strong>{job.error.title}:</strong> {job.error.detail}
        </p>
      ) : null}
    </li>
  );
}
