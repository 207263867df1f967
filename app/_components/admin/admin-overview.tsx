"use client";

import Link from "next/link";
import { useOverview } from "@/app/_lib/admin-api";
import { timeAgo } from "@/app/_lib/format";
import { useLiveMode } from "@/app/_lib/live";
import type { MinuteBucket } from "@/lib/admin/queries";
import { jobStates } from "@/lib/jobs/states";
import { useNow } from "../use-now";
import { MinuteChart } from "./minute-chart";
import { OwnerCaps, TypeControls } from "./queue-controls";

const failureRate = (bucket: MinuteBucket) => {
  const finished = bucket.succeeded + bucket.failed;
  return finished === 0 ? 0 : Math.round((bucket.failed / finished) * 100);
};

function ageInWords(seconds: number | null): string {
  if (seconds === null) return "nothing waiting";
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/** Counts by state, the queue, the last hour, and who is working. */
export function AdminOverview() {
  const query = useOverview({ live: useLiveMode() === "live" });
  const now = useNow();
  if (query.isPending) return <p className="muted">Loading…</p>;
  if (query.isError) {
    return (
      <p className="form-error" role="alert">
        {query.error.message}
      </p>
    );
  }
  const stats = query.data;
  const lastHour = stats.perMinute.reduce(
    (sum, bucket) => ({ succeeded: sum.succeeded + bucket.succeeded, failed: sum.failed + bucket.failed }),
    { succeeded: 0, failed: 0 },
  );
  return (
    <div className="overview">
      <section className="tiles" aria-label="Jobs by state">
        {jobStates.map((state) => (
          <Link
            key={state}
            className="tile"
            data-state={state}
            href={`/admin/jobs?state=${state}`}
            data-testid={`count-${state}`}
          >
            <span className="tile-value">{stats.counts[state]}</span>
            <span className="tile-label">{state}</span>
          </Link>
        ))}
        <div className="tile" data-testid="queue-depth">
          <span className="tile-value">{stats.queueDepth}</span>
          <span className="tile-label">queue depth</span>
        </div>
        <div className="tile" data-testid="oldest-queued">
          <span className="tile-value small-value">{ageInWords(stats.oldestQueuedAgeSeconds)}</span>
          <span className="tile-label">oldest queued</span>
        </div>
      </section>

      <section className="card">
        <div className="section-head">
          <h2>Last hour</h2>
          <span className="muted small">
            {lastHour.succeeded} succeeded, {lastHour.failed} failed
          </span>
        </div>
        <MinuteChart
          title="Throughput per minute"
          buckets={stats.perMinute}
          series={[
            { name: "succeeded", color: "var(--succeeded)", value: (bucket) => bucket.succeeded },
            { name: "failed", color: "var(--failed)", value: (bucket) => bucket.failed },
          ]}
        />
        <MinuteChart
          title="Failure rate per minute"
          buckets={stats.perMinute}
          series={[{ name: "failed", color: "var(--failed)", value: failureRate }]}
          max={100}
          unit="%"
        />
      </section>

      <TypeControls types={stats.types} />
      <OwnerCaps owners={stats.owners} />

      <section className="card" aria-labelledby="workers-heading">
        <h2 id="workers-heading">Live workers ({stats.workers.length})</h2>
        {stats.workers.length === 0 ? (
          <p className="form-error">No worker has sent a heartbeat recently: queued jobs will wait.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>Host</th>
                <th>PID</th>
                <th>Pools</th>
                <th>Started</th>
                <th>Last heartbeat</th>
              </tr>
            </thead>
            <tbody>
              {stats.workers.map((worker) => (
                <tr key={`${worker.hostname}:${worker.pid}`} data-testid="worker-row">
                  <td>{worker.hostname}</td>
                  <td>{worker.pid}</td>
                  <td>{worker.pools}</td>
                  <td>{timeAgo(worker.startedAt, now)}</td>
                  <td>{timeAgo(worker.lastSeenAt, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
