"use client";

import type { JobHandle, JobStatus } from "@accepted/client";
import { acceptedKeys, setJobData, useAcceptedClient } from "@accepted/client/react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { adminKeys } from "@/app/_lib/admin-api";

const ACTIONS = [
  {
    link: "cancel",
    label: "Cancel",
    busy: "Cancelling…",
    style: "button-danger",
    send: (job: JobHandle) => job.cancel(),
  },
  { link: "retry", label: "Retry", busy: "Retrying…", style: "button-quiet", send: (job: JobHandle) => job.retry() },
] as const;

/** The actions the job's links offer: Cancel while queued or running, Retry once failed. */
export function JobActions({ job }: { job: JobStatus }) {
  const client = useAcceptedClient();
  const queryClient = useQueryClient();
  const action = useMutation({
    mutationFn: (send: (job: JobHandle) => Promise<JobStatus>) => send(client.job(job.id)),
    onSuccess: (changed) => setJobData(queryClient, changed),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: acceptedKeys.all });
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
