"use client";

import type { JobStatus } from "@accepted/client";
import { useAcceptedClient } from "@accepted/client/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ScheduleStatus } from "@/lib/schedules/representation";
import { readAgain } from "./read-again";

/** A user's schedules as the schedules page uses them (lib/schedules/ behind /api/schedules). */

export type { ScheduleStatus };

export const scheduleKeys = {
  all: ["schedules"] as const,
  list: () => [...scheduleKeys.all, "list"] as const,
  runs: (id: string) => [...scheduleKeys.all, id, "runs"] as const,
};

/** How many of a schedule's newest runs its card lists. */
export const RUNS_SHOWN = 10;

// Without pushed job changes (see live.tsx), the page reads its schedules and their runs this often.
const POLL_MS = 2_000;
// With them, a firing that made no job (over your cap, its key held) pushes nothing: a glance now and then.
const LIVE_REFRESH_MS = 10_000;

const interval = (live: boolean) => (live ? LIVE_REFRESH_MS : POLL_MS);

export function useSchedules({ live }: { live: boolean }) {
  const client = useAcceptedClient();
  return useQuery({
    queryKey: scheduleKeys.list(),
    queryFn: async ({ signal }) =>
      (await client.request<{ items: ScheduleStatus[] }>("/api/schedules", { signal })).items,
    refetchInterval: interval(live),
  });
}

/** A schedule's newest runs (GET /api/schedules/{id}/runs). */
export function useScheduleRuns(schedule: ScheduleStatus, { live }: { live: boolean }) {
  const client = useAcceptedClient();
  return useQuery({
    queryKey: scheduleKeys.runs(schedule.id),
    queryFn: async ({ signal }) =>
      (await client.request<{ items: JobStatus[] }>(`${schedule.links.runs}?limit=${RUNS_SHOWN}`, { signal })).items,
    refetchInterval: interval(live),
  });
}

export function useCreateSchedule() {
  const client = useAcceptedClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (fields: Record<string, unknown>) =>
      client.request<ScheduleStatus>("/api/schedules", { method: "POST", body: fields }),
    onSuccess: () => readAgain(queryClient, scheduleKeys.list()),
  });
}

/** Pause, resume and delete, each reading the list again after. */
export function useScheduleActions(schedule: ScheduleStatus) {
  const client = useAcceptedClient();
  const queryClient = useQueryClient();
  const refresh = () => readAgain(queryClient, scheduleKeys.list());
  return {
    setPaused: useMutation({
      mutationFn: (paused: boolean) =>
        client.request<ScheduleStatus>(schedule.links.self, { method: "PATCH", body: { paused } }),
      onSuccess: (changed) => {
        queryClient.setQueryData<ScheduleStatus[]>(scheduleKeys.list(), (items) =>
          items?.map((item) => (item.id === changed.id ? changed : item)),
        );
        return refresh();
      },
    }),
    remove: useMutation({
      mutationFn: () => client.request(schedule.links.self, { method: "DELETE" }),
      onSuccess: () => {
        queryClient.setQueryData<ScheduleStatus[]>(scheduleKeys.list(), (items) =>
          items?.filter((item) => item.id !== schedule.id),
        );
        return refresh();
      },
    }),
  };
}
