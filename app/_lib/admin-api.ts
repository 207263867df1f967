"use client";

import type { AcceptedClient, JobStatus } from "@accepted/client";
import { useAcceptedClient } from "@accepted/client/react";
import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { Overview } from "@/lib/admin/queries";
import type { TypeQueueState } from "@/lib/jobs/type-controls";

/** What the admin console's filter bar holds; the same names as /api/admin/jobs's query parameters. */
export interface AdminFilters {
  state?: string;
  type?: string;
  owner?: string;
  from?: string;
  to?: string;
  q?: string;
  sort?: "created-desc" | "created-asc" | "updated-desc";
}

export type AdminJob = JobStatus & { ownerEmail: string | null };
type AdminJobPage = { items: AdminJob[]; links: { next: string | null } };

export interface TimelineEvent {
  at: string;
  state: JobStatus["state"];
  attempt: number;
  detail: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actorEmail: string;
  action: string;
  jobIds: string[];
  detail: Record<string, unknown>;
}

export const adminKeys = {
  all: ["admin"] as const,
  jobs: (filters: AdminFilters) => [...adminKeys.all, "jobs", filters] as const,
  job: (id: string) => [...adminKeys.all, "job", id] as const,
  overview: () => [...adminKeys.all, "overview"] as const,
  audit: () => [...adminKeys.all, "audit"] as const,
};

// Without pushed updates the console polls; with them it refetches on change.
const POLL_MS = 3_000;
const every = (live: boolean) => (live ? false : POLL_MS);

/** Drops empty filters, so the URL and the query key only carry what is set. */
export function filterParams(filters: AdminFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
  return params;
}

/** Every owner's jobs matching the filters, a page at a time ("Load more" follows the next link). */
export function useAdminJobs(filters: AdminFilters, { live }: { live: boolean }) {
  const client = useAcceptedClient();
  return useInfiniteQuery({
    queryKey: adminKeys.jobs(filters),
    initialPageParam: `/api/admin/jobs?${filterParams(filters)}`,
    queryFn: ({ pageParam, signal }) => client.request<AdminJobPage>(pageParam, { signal }),
    getNextPageParam: (page) => page.links.next ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: every(live),
  });
}

export function useAdminJob(id: string, { live }: { live: boolean }) {
  const client = useAcceptedClient();
  return useQuery({
    queryKey: adminKeys.job(id),
    queryFn: ({ signal }) =>
      client.request<{ job: JobStatus; ownerEmail: string | null; timeline: TimelineEvent[] }>(
        `/api/admin/jobs/${id}`,
        { signal },
      ),
    refetchInterval: every(live),
  });
}

export function useOverview({ live }: { live: boolean }) {
  const client = useAcceptedClient();
  return useQuery({
    queryKey: adminKeys.overview(),
    queryFn: ({ signal }) => client.request<Overview>("/api/admin/overview", { signal }),
    // The queue's age and the per-minute buckets move with the clock, not only with changes.
    refetchInterval: live ? 15_000 : POLL_MS,
  });
}

export function useAudit() {
  const client = useAcceptedClient();
  return useQuery({
    queryKey: adminKeys.audit(),
    queryFn: async ({ signal }) =>
      (await client.request<{ items: AuditEntry[] }>("/api/admin/audit", { signal })).items,
  });
}

/** Starts a bulk retry or cancel; it runs as a job of its own, which this returns. */
export function startBulkAction(
  client: AcceptedClient,
  action: "retry" | "cancel",
  target: { jobIds: string[] } | { filter: AdminFilters },
): Promise<JobStatus> {
  const body =
    "jobIds" in target
      ? { action, jobIds: target.jobIds }
      : { action, filter: Object.fromEntries(filterParams({ ...target.filter, sort: undefined })) };
  return client.request<JobStatus>("/api/admin/bulk", { method: "POST", body });
}

/** Purges a finished job now, as its retention would: its result goes, and its status URI answers 410. */
export const expireJobNow = (client: AcceptedClient, id: string) =>
  client.request<JobStatus>(`/api/admin/jobs/${id}/expire`, { method: "POST" });

/** Pauses or resumes a job type, or sets its concurrency limit (null: none). */
export const changeJobType = (
  client: AcceptedClient,
  type: string,
  change: { paused?: boolean; concurrencyLimit?: number | null },
) =>
  client.request<TypeQueueState>(`/api/admin/job-types/${encodeURIComponent(type)}`, { method: "PATCH", body: change });

/** Sets one user's cap on unfinished jobs (null: the default). */
export const setJobCap = (client: AcceptedClient, userId: string, maxUnfinishedJobs: number | null) =>
  client.request<unknown>(`/api/admin/users/${encodeURIComponent(userId)}/job-cap`, {
    method: "PUT",
    body: { maxUnfinishedJobs },
  });
