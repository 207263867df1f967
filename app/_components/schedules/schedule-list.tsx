"use client";

import Link from "next/link";
import { useState } from "react";
import { localTime, localTimeZone, shortId, timeAgo } from "@/app/_lib/format";
import { LiveIndicator, useLiveMode } from "@/app/_lib/live";
import { type ScheduleStatus, useScheduleActions, useScheduleRuns, useSchedules } from "@/app/_lib/schedules-api";
import { QueryResult } from "../query-result";
import { StateBadge } from "../state-badge";
import { useNow } from "../use-now";

const OUTCOMES: Record<NonNullable<ScheduleStatus["lastOutcome"]>, string> = {
  created: "made a job",
  "already-running": "made no job: a run with its concurrency key was still unfinished",
  "over-cap": "made no job: you had as many unfinished jobs as you may",
  "invalid-input": "made no job: its input no longer fits its job type (change it)",
  "owner-banned": "made no job: the account is suspended",
  "unknown-type": "made no job: its job type no longer exists",
};

/** A cron of six fields names seconds: its times are shown with theirs. */
const withSeconds = (schedule: ScheduleStatus) => schedule.cron.trim().split(/\s+/).length >= 6;

/** The next firings, in the reader's time (each in the schedule's own zone on hover, when that differs). */
function Upcoming({ schedule, now }: { schedule: ScheduleStatus; now: number }) {
  const zone = localTimeZone();
  const seconds = withSeconds(schedule);
  const headingId = `schedule-${schedule.id}-upcoming`;
  return (
    <section aria-labelledby={headingId}>
      <h4 className="schedule-subhead" id={headingId}>
        Next firings
      </h4>
      {schedule.paused ? (
        <p className="muted small">None while paused: it fires again once resumed (missed firings are not made up).</p>
      ) : schedule.upcoming.length === 0 ? (
        <p className="muted small">None: its cron matches no time from now on.</p>
      ) : (
        <>
          <ol className="upcoming" data-testid="upcoming">
            {schedule.upcoming.map((iso, index) => (
              <li key={iso}>
                <time
                  dateTime={iso}
                  title={
                    schedule.timezone === zone
                      ? undefined
                      : `${localTime(iso, { seconds, timeZone: schedule.timezone })} in ${schedule.timezone}`
                  }
                >
                  {localTime(iso, { seconds })}
                </time>
                {index === 0 ? <span className="muted"> · {inWords(iso, now)}</span> : null}
              </li>
            ))}
          </ol>
          <p className="muted small">Your time ({zone}).</p>
        </>
      )}
    </section>
  );
}

const inWords = (iso: string, now: number) => (Date.parse(iso) - now >= 5_000 ? timeAgo(iso, now) : "in a moment");

/** The schedule's newest runs, each a link to its job's page; kept current as jobs change. */
function Runs({ schedule }: { schedule: ScheduleStatus }) {
  const runs = useScheduleRuns(schedule, { live: useLiveMode() === "live" });
  const headingId = `schedule-${schedule.id}-runs`;
  return (
    <section aria-labelledby={headingId}>
      <h4 className="schedule-subhead" id={headingId}>
        Recent runs
      </h4>
      <QueryResult query={runs} empty="No runs yet: the first appears here when it fires.">
        {(items) => (
          <ul className="schedule-runs" data-testid="schedule-runs">
            {items.map((job) => (
              <li key={job.id} className="schedule-run" data-testid="schedule-run" data-state={job.state}>
                <StateBadge state={job.state} />
                <Link href={`/jobs/${job.id}`}>
                  Run of {localTime(job.runAt ?? job.createdAt, { seconds: withSeconds(schedule) })}
                </Link>
                <span className="muted small">
                  <code>{shortId(job.id)}</code>
                  {job.message ? ` · ${job.message}` : ""}
                </span>
              </li>
            ))}
          </ul>
        )}
      </QueryResult>
    </section>
  );
}

function ScheduleCard({ schedule, now }: { schedule: ScheduleStatus; now: number }) {
  const { setPaused, remove } = useScheduleActions(schedule);
  const [confirming, setConfirming] = useState(false);
  const headingId = `schedule-${schedule.id}-title`;
  const error = setPaused.error ?? remove.error;
  return (
    <li
      className="job-card schedule-card"
      id={`schedule-${schedule.id}`}
      data-testid="schedule-card"
      data-schedule-id={schedule.id}
      data-state={schedule.paused ? "paused" : "active"}
      aria-labelledby={headingId}
    >
      <div className="job-card-head">
        <div>
          <h3 className="job-title schedule-title" id={headingId}>
            {schedule.title}
          </h3>
          <div className="job-meta">
            <code>{schedule.cron}</code> in {schedule.timezone} · <code>{schedule.type}</code> ·{" "}
            <code>{shortId(schedule.id)}</code>
            {schedule.concurrencyKey ? (
              <>
                {" "}
                · key <code>{schedule.concurrencyKey}</code>
              </>
            ) : null}
          </div>
          <div className="job-meta">
            Input <code>{JSON.stringify(schedule.input)}</code>
          </div>
        </div>
        <span className="badge" data-state={schedule.paused ? "paused" : "active"}>
          {schedule.paused ? "Paused" : "Active"}
        </span>
      </div>
      <p className="job-message" data-testid="last-firing">
        {schedule.lastFiredAt ? (
          <>
            Last fired{" "}
            <time dateTime={schedule.lastFiredAt} title={new Date(schedule.lastFiredAt).toLocaleString()}>
              {timeAgo(schedule.lastFiredAt, now)}
            </time>
            {schedule.lastOutcome ? `: ${OUTCOMES[schedule.lastOutcome]}` : ""}
            {schedule.lastJobId ? (
              <>
                {" "}
                (<Link href={`/jobs/${schedule.lastJobId}`}>its job</Link>)
              </>
            ) : null}
            .
          </>
        ) : (
          "Not fired yet."
        )}
      </p>
      <div className="schedule-body">
        <Upcoming schedule={schedule} now={now} />
        <Runs schedule={schedule} />
      </div>
      <div className="job-actions schedule-actions">
        <button
          type="button"
          className="button button-small button-quiet"
          disabled={setPaused.isPending}
          onClick={() => setPaused.mutate(!schedule.paused)}
        >
          {schedule.paused ? "Resume" : "Pause"}
        </button>
        {confirming ? (
          <>
            <span className="small">Delete this schedule? The jobs it made stay.</span>
            <button
              type="button"
              className="button button-small button-danger"
              disabled={remove.isPending}
              onClick={() => remove.mutate()}
            >
              Yes, delete
            </button>
            <button type="button" className="button button-small button-quiet" onClick={() => setConfirming(false)}>
              No
            </button>
          </>
        ) : (
          <button type="button" className="button button-small button-danger" onClick={() => setConfirming(true)}>
            Delete…
          </button>
        )}
        {error ? (
          <span className="field-error" role="alert">
            {error.message}
          </span>
        ) : null}
      </div>
    </li>
  );
}

/** Your schedules, each with its next firings, its runs as they arrive, and pause, resume and delete. */
export function ScheduleList() {
  const schedules = useSchedules({ live: useLiveMode() === "live" });
  const now = useNow();
  return (
    <section className="card job-list" aria-labelledby="schedules-heading">
      <div className="section-head">
        <h2 id="schedules-heading">Your schedules</h2>
        <LiveIndicator />
      </div>
      <QueryResult query={schedules} empty="No schedules yet. Make one with the form: its runs appear here.">
        {(items) => (
          <ul className="jobs">
            {items.map((schedule) => (
              <ScheduleCard key={schedule.id} schedule={schedule} now={now} />
            ))}
          </ul>
        )}
      </QueryResult>
    </section>
  );
}
