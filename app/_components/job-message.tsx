import type { JobStatus } from "@/app/_lib/api";
import { etaInWords, localTime, timeAgo } from "@/app/_lib/format";

/** "Scheduled for Thu, Dec 3, 17:31:05", in the reader's time zone. */
const scheduledFor = (runAt: string) => `Scheduled for ${localTime(runAt, { seconds: true })}`;

/** The job's own message, with how long is left, when it will be retried, or when it is due to start. */
export function JobMessage({ job, now, className }: { job: JobStatus; now: number; className?: string }) {
  let text = job.message ?? (job.state === "queued" ? "Waiting for a worker…" : "");
  let when: string | null = null;
  if (job.state === "scheduled" && job.runAt) {
    text = job.message ?? scheduledFor(job.runAt);
    const leftMs = Date.parse(job.runAt) - now;
    when = leftMs >= 5_000 ? timeAgo(job.runAt, now) : leftMs > 0 ? "in a moment" : "due, waiting for a worker";
  }
  if (job.paused) text = "Paused by an administrator: it starts when its job type is resumed";
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
