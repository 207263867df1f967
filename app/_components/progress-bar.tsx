import type { JobState } from "@/app/_lib/api";

export function ProgressBar({ value, state, label }: { value: number; state: JobState; label: string }) {
  return (
    <div
      className="progress"
      data-state={state}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
      aria-valuetext={`${value}%`}
    >
      <div className="progress-fill" style={{ width: `${value}%` }} />
    </div>
  );
}
