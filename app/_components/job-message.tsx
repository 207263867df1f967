import type { JobStatus } from "@/app/_lib/api";
import { etaInWords, timeAgo } from "@/app/_lib/format";

/** The job's own message, with how long is left or when it will be retried. */
export function JobMessage({ job, now, className }: { job: JobStatus; now: number; className?: string }) {
  let text = job.message ?? (job.state === "queued" ? "Waiting for a worker…" : "");
  if (job.paused) text = "Paused by an administrator: it starts when its job type is resumed";
  let when: string | null = null;
  if (job.state === "running") when = etaInWords(job.estimatedCompletionAt, now);
  if (job.state === "queued" && job.retryAt) when = `next attempt ${timeAgo(job.retryAt, now)}`;
  if (job.state === "succeeded" && !text) text = "Done";
  if (job.expiredAt) when = `expired ${timeAgo(job.expiredAt, now)}; its result was deleted`;
  return (
    <p className={`job-message ${className ?? ""}`} data-testid="job-message">
      {text}
      {when ? <span className="job-eta"> · {when}</span> : null}
    </p>
  );
}
