"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { adminKeys } from "@/app/_lib/admin-api";
import { cancelJob, type JobStatus, jobKeys, retryJob } from "@/app/_lib/api";

const ACTIONS = [
  { link: "cancel", label: "Cancel", busy: "Cancelling…", style: "button-danger", send: cancelJob },
  { link: "retry", label: "Retry", busy: "Retrying…", style: "button-quiet", send: retryJob },
] as const;

/** The actions the job's links offer: Cancel while queued or running, Retry once failed. */
export function JobActions({ job }: { job: JobStatus }) {
  const queryClient = useQueryClient();
  const action = useMutation({
    mutationFn: (send: (job: JobStatus) => Promise<JobStatus>) => send(job),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: jobKeys.all });
      await queryClient.invalidateQueries({ queryKey: adminKeys.all });
    },
  });

  return (
    <>
      {ACTIONS.filter(({ link }) => job.links[link]).map(({ link, label, busy, style, send }) => (
        <button
          key={link}
          type="button"
          className={`button button-small ${style}`}
          onClick={() => action.mutate(send)}
          disabled={action.isPending}
        >
          {action.isPending ? busy : label}
        </button>
      ))}
      {action.error ? (
        <span className="field-error" role="alert">
          {action.error.message}
        </span>
      ) : null}
    </>
  );
}
