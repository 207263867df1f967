import type { JobStatus } from "@/app/_lib/api";
import { bytes } from "@/app/_lib/format";

/** A download for file results, a link to the JSON otherwise. */
export function ResultLink({ job }: { job: JobStatus }) {
  const href = job.links.result;
  if (!href || !job.result) return null;
  if (job.result.kind === "file" && "filename" in job.result) {
    return (
      <a className="button button-small" href={href} download={job.result.filename}>
        Download {job.result.filename.endsWith(".csv") ? "CSV" : "file"} ({bytes(job.result.size)})
      </a>
    );
  }
  return (
    <a className="button button-small button-quiet" href={href} target="_blank" rel="noreferrer">
      View result
    </a>
  );
}
