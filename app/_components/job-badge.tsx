import type { JobStatus } from "@/app/_lib/api";
import { StateBadge } from "./state-badge";

/** The job's state, "Paused" while its type is, or "Expired" once its retention is over and its result gone. */
export function JobBadge({ job }: { job: JobStatus }) {
  if (job.expiredAt) {
    return (
      <span
        className="badge"
        data-state="expired"
        title={`${job.state}; expired ${new Date(job.expiredAt).toLocaleString()}`}
      >
        Expired
      </span>
    );
  }
  if (job.paused) {
    return (
      <span className="badge" data-state="paused" title="Queued; an administrator paused its job type">
        Paused
      </span>
    );
  }
  return <StateBadge state={job.state} />;
}
