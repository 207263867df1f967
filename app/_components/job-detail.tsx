"use client";

import { AcceptedProblem } from "@accepted/client";
import { useJob } from "@accepted/client/react";
import Link from "next/link";
import type { ReactNode } from "react";
import { duration, localTime } from "@/app/_lib/format";
import { LiveIndicator, useLiveMode } from "@/app/_lib/live";
import { JobActions } from "./job-actions";
import { JobBadge } from "./job-badge";
import { JobLog } from "./job-log";
import { JobMessage } from "./job-message";
import { ProgressBar } from "./progress-bar";
import { ResultLink } from "./result-link";
import { useNow } from "./use-now";
import { DeliveryLog } from "./webhooks/delivery-log";
import { When } from "./when";

/**
 * One job's page. The admin console shows the same page with its own way
 * back and what only admins see (owner, timeline) in `children`.
 */
export function JobDetail({
  id,
  back = { href: "/", label: "Dashboard" },
  showLiveIndicator = true,
  ownersView = true,
  children,
}: {
  id: string;
  back?: { href: string; label: string };
  /** The admin console shows its own, once for every page. */
  showLiveIndicator?: boolean;
  /** false in the admin console: only a job's owner can redeliver its webhooks. */
  ownersView?: boolean;
  children?: ReactNode;
}) {
  // The page's live connection feeds the cache; while it is down, poll at Retry-After.
  const query = useJob(id, { updates: useLiveMode() === "live" ? "none" : "poll" });
  const now = useNow();

  if (query.isPending) return <p className="muted">Loading job…</p>;
  if (query.isError) {
    const notFound = query.error instanceof AcceptedProblem && query.error.status === 404;
    return (
      <div className="card">
        <h1>{notFound ? "Job not found" : "Could not load the job"}</h1>
        <p className="muted">{query.error.message}</p>
        <Link href={back.href}>Back to {back.label}</Link>
      </div>
    );
  }

  const job = query.data;
  return (
    <article className="job-detail" data-state={job.state}>
      <div className="detail-nav">
        <Link href={back.href} className="back">
          ← {back.label}
        </Link>
        {showLiveIndicator ? <LiveIndicator /> : null}
      </div>
      <div className="detail-head">
        <div>
          <h1>{job.title}</h1>
          <p className="muted">
            <code>{job.id}</code> · {job.type}
          </p>
        </div>
        <JobBadge job={job} />
      </div>

      <section className="card">
        <div className="job-progress-row large">
          <ProgressBar value={job.progress} state={job.state} label={`Progress of ${job.title}`} />
          <span className="job-percent">{job.progress}%</span>
        </div>
        <JobMessage job={job} now={now} />
        {job.error ? (
          <div className="job-error" role="alert">
            <strong>{job.error.title}</strong>
            <p>{job.error.detail}</p>
          </div>
        ) : null}
        <div className="actions">
          <JobActions job={job} />
          <ResultLink job={job} />
        </div>
      </section>

      <JobLog jobId={job.id} attempts={job.attempts} />

      <section className="card">
        <h2>Details</h2>
        <dl className="facts">
          <dt>Submitted</dt>
          <dd>
            <When iso={job.createdAt} now={now} />
          </dd>
          {job.runAt ? (
            <>
              <dt>Not before</dt>
              <dd>
                {localTime(job.runAt, { seconds: true })} (<When iso={job.runAt} now={now} />)
              </dd>
            </>
          ) : null}
          {job.scheduleId ? (
            <>
              <dt>Origin</dt>
              <dd>
                <Link href={`/schedules#schedule-${job.scheduleId}`}>From schedule</Link>
              </dd>
            </>
          ) : null}
          <dt>Started</dt>
          <dd>
            <When iso={job.startedAt} now={now} />
          </dd>
          <dt>Finished</dt>
          <dd>
            <When iso={job.finishedAt} now={now} />
            {job.finishedAt && job.startedAt ? ` (took ${duration(job.startedAt, job.finishedAt)})` : null}
          </dd>
          {job.cancelledAt ? (
            <>
              <dt>Cancelled</dt>
              <dd>
                <When iso={job.cancelledAt} now={now} /> by {job.cancelledBy}
              </dd>
            </>
          ) : null}
          <dt>Attempts</dt>
          <dd>
            {job.attempts} of {job.maxAttempts}
          </dd>
          <dt>Status URI</dt>
          <dd>
            <code>{job.links.self}</code>
          </dd>
        </dl>
      </section>

      {job.attemptErrors.length > 0 ? (
        <section className="card">
          <h2>Failed attempts</h2>
          <ol className="attempts">
            {job.attemptErrors.map((attempt) => (
              <li key={attempt.attempt}>
                <strong>Attempt {attempt.attempt}</strong>{" "}
                <span className="muted small">
                  after {(attempt.durationMs / 1000).toFixed(1)} s, <When iso={attempt.failedAt} now={now} />
                </span>
                <p>{attempt.message}</p>
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      {children}

      <section className="card">
        <h2>Webhook deliveries</h2>
        <DeliveryLog
          url={`/api/jobs/${job.id}/webhook-deliveries`}
          show="endpoint"
          canRedeliver={ownersView}
          empty="None: no endpoint of yours wanted this job's events (set them up under Webhooks)."
        />
      </section>

      <section className="card">
        <h2>Input</h2>
        <pre className="json">{JSON.stringify(job.input, null, 2)}</pre>
      </section>
    </article>
  );
}
