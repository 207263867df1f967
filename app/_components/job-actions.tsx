"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { cancelJob, type JobStatus, jobKeys, retryJob } from "@/app/_lib/api";

/** Cancel for a queued or running job, Retry for a failed one. */
export function JobActions({ job }: { job: JobStatus }) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: jobKeys.all });
  const cancel = useMutation({ mutationFn: () => cancelJob(job), onSettled: refresh });
  const retry = useMutation({ mutationFn: () => retryJob(job), onSettled: refresh });
  const error = cancel.error ?? retry.error;

  return (
    <>
      {job.links.cancel ? (
        <button
          type="button"
          className="button button-small button-danger"
          onClick={() => cancel.mutate()}
          disabled={cancel.isPending}
        >
          {cancel.isPending ? "Cancelling…" : "Cancel"}
        </button>
      ) : null}
      {job.links.retry ? (
        <button
          type="button"
          className="button button-small button-quiet"
          onClick={() => retry.mutate()}
          disabled={retry.isPending}
        >
          {retry.isPending ? "Retrying…" : "Retry"}
        </button>
      ) : null}
      {error ? (
        <span className="field-error" role="alert">
          {error.message}
        </span>
      ) : null}
    </>
  );
}
