"use client";

import { type AcceptedClient, isFinished, type JobStatus } from "@accepted/client";
import { acceptedKeys, newerJob, useAcceptedClient } from "@accepted/client/react";
import { useQuery } from "@tanstack/react-query";
import type { BatchStatus } from "@/lib/jobs/batch-status";

/**
 * The dashboard's reads beyond one job, on the SDK's client (its hooks,
 * `useJob` and `useSubmitJob`, cover one job). Job states live under the
 * SDK's keys, so pushed changes and these lists share one cache.
 */

export type { BatchStatus, JobStatus };
export type JobState = JobStatus["state"];

// With nothing in progress the list still refreshes now and then, so jobs
// submitted elsewhere (curl, another tab) show up.
const IDLE_LIST_REFRESH_MS = 5_000;
// While a job runs and nothing is pushed, the list is read this often.
const BUSY_LIST_REFRESH_MS = 2_000;

/** How many of the newest jobs the dashboard shows. */
export const LIST_SIZE = 25;

/** How many of a batch's jobs its opened row lists. */
export const BATCH_PAGE = 50;

export const jobKeys = {
  all: acceptedKeys.all,
  list: () => [...acceptedKeys.all, "list"] as const,
  usage: () => [...acceptedKeys.all, "usage"] as const,
  batches: () => [...acceptedKeys.all, "batches"] as const,
  batchJobs: (id: string) => [...acceptedKeys.all, "batches", id, "jobs"] as const,
};

/**
 * A list read can be older than a change already pushed into it; versions
 * only grow, so each job keeps whichever copy is newer.
 */
function keepNewestItems(kept: unknown, arriving: unknown): JobStatus[] {
  const fresh = arriving as JobStatus[];
  if (!kept) return fresh;
  const byId = new Map((kept as JobStatus[]).map((job) => [job.id, job]));
  return fresh.map((job) => newerJob(byId.get(job.id), job));
}

/** Your latest batches. Pushed job changes refresh them (see live.tsx); otherwise they poll while unfinished. */
export function useBatches({ live }: { live: boolean }) {
  const client = useAcceptedClient();
  return useQuery({
    queryKey: jobKeys.batches(),
    queryFn: async () => (await client.request<{ items: BatchStatus[] }>("/api/batches")).items,
    refetchInterval: (query) =>
      live || !query.state.data?.some((batch) => batch.state !== "finished") ? false : IDLE_LIST_REFRESH_MS,
  });
}

/** A batch's jobs (the first page), fetched once its row is opened. */
export function useBatchJobs(id: string, { enabled }: { enabled: boolean }) {
  const client = useAcceptedClient();
  return useQuery({
    queryKey: jobKeys.batchJobs(id),
    queryFn: () => client.jobs({ batch: id, limit: BATCH_PAGE }),
    enabled,
  });
}

export const cancelBatch = (client: AcceptedClient, batch: BatchStatus) =>
  client.request<BatchStatus>(batch.links.self, { method: "DELETE" });

/** Your unfinished jobs and the most you may have at once (GET /api/account/usage). */
export interface Usage {
  unfinished: number;
  cap: number;
  customCap: boolean;
}

// Counts move as jobs finish; a glance every few seconds is enough for a line of text.
const USAGE_REFRESH_MS = 5_000;

export function useUsage() {
  const client = useAcceptedClient();
  return useQuery({
    queryKey: jobKeys.usage(),
    queryFn: () => client.request<Usage>("/api/account/usage"),
    refetchInterval: USAGE_REFRESH_MS,
  });
}

/**
 * The newest jobs submitted on their own (a batch's are in its row). While
 * updates are pushed (`live`) it does not poll; otherwise it refreshes
 * often while something is unfinished, and now and then when not.
 */
export function useJobList({ live }: { live: boolean }) {
  const client = useAcceptedClient();
  return useQuery({
    queryKey: jobKeys.list(),
    queryFn: () => client.jobs({ batch: "none", limit: LIST_SIZE }),
    refetchInterval: (query) => {
      if (live) return false;
      const busy = query.state.data?.some((job) => !isFinished(job.state));
      return busy ? BUSY_LIST_REFRESH_MS : IDLE_LIST_REFRESH_MS;
    },
    structuralSharing: keepNewestItems,
  });
}
