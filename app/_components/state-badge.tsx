import type { JobState } from "@/app/_lib/api";

const LABELS: Record<JobState, string> = {
  scheduled: "Scheduled",
  queued: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
};

export function StateBadge({ state }: { state: JobState }) {
  return (
    <span className="badge" data-state={state}>
      {LABELS[state]}
    </span>
  );
}
