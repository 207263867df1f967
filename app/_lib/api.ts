"use client";

import { useQuery } from "@tanstack/react-query";
import type { ProblemDetails } from "@/lib/http/problem";
import type { BatchStatus } from "@/lib/jobs/batches";
import type { JobStatus } from "@/lib/jobs/representation";
import { isTerminal } from "@/lib/jobs/states";

export type { JobStatus };
export type JobState = JobStatus["state"];

export { isTerminal } from "@/lib/jobs/states";

// With nothing in progress the list still refreshes now and then, so jobs
// submitted elsewhere (curl, another tab) show up.
const IDLE_LIST_REFRESH_MS = 5_000;

/** How many of the newest jobs the dashboard shows. */
export const LIST_SIZE = 25;

/** An error answer from the API, with its problem details. */
export class ApiProblem extends Error {
  constructor(readonly problem: ProblemDetails) {
    super(problem.detail ?? problem.title);
  }
}

export async function problemOf(response: Response): Promise<ApiProblem> {
  const body = await response.json().catch(() => null);
  return new ApiProblem(
    body && typeof body.title === "string"
      ? body
      : { type: "about:blank", title: response.statusText, status: response.status },
  );
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

export async function getJson<T>(url: string): Promise<{ body: T; retryAfterMs: number | null }> {
  const response = await fetch(url, { cache: "no-store", headers: { Accept: "application/json" } });
  if (!response.ok) throw await problemOf(response);
  return { body: (await response.json()) as T, retryAfterMs: retryAfterMs(response.headers.get("Retry-After")) };
}

export type JobResponse = { body: JobStatus; retryAfterMs: number | null };
export type ListResponse = {
  body: { items: JobStatus[]; links: { next: string | null } };
  retryAfterMs: number | null;
};

/**
 * A fetch can answer with an older state than an event already pushed into
 * the cache (it was read before the change, and arrived after the event).
 * Versions only grow, so keep whichever copy of each job is newer.
 */
const newer = (cached: JobStatus | undefined, fetched: JobStatus) =>
  cached && cached.version > fetched.version ? cached : fetched;

function keepNewestJob(cached: unknown, fetched: unknown): JobResponse {
  const old = cached as JobResponse | undefined;
  const fresh = fetched as JobResponse;
  return old && old.body.version > fresh.body.version ? old : fresh;
}

function keepNewestItems(cached: unknown, fetched: unknown): ListResponse {
  const old = cached as ListResponse | undefined;
  const fresh = fetched as ListResponse;
  if (!old) return fresh;
  const byId = new Map(old.body.items.map((job) => [job.id, job]));
  return { ...fresh, body: { ...fresh.body, items: fresh.body.items.map((job) => newer(byId.get(job.id), job)) } };
}

export const jobKeys = {
  all: ["jobs"] as const,
  list: () => [...jobKeys.all, "list"] as const,
  detail: (id: string) => [...jobKeys.all, "detail", id] as const,
  usage: () => [...jobKeys.all, "usage"] as const,
  batches: () => [...jobKeys.all, "batches"] as const,
  batchJobs: (id: string) => [...jobKeys.all, "batches", id, "jobs"] as const,
};

export type { BatchStatus };

/** Your latest batches. Pushed job changes refresh them (see live.tsx); otherwise they poll while unfinished. */
export function useBatches({ live }: { live: boolean }) {
  return useQuery({
    queryKey: jobKeys.batches(),
    queryFn: async () => (await getJson<{ items: BatchStatus[] }>("/api/batches")).body.items,
    refetchInterval: (query) =>
      live || !query.state.data?.some((batch) => batch.state !== "finished") ? false : IDLE_LIST_REFRESH_MS,
  });
}

/** A batch's jobs (the first page), fetched once its row is opened. */
export function useBatchJobs(id: string, { enabled }: { enabled: boolean }) {
  return useQuery({
    queryKey: jobKeys.batchJobs(id),
    queryFn: async () =>
      (await getJson<{ items: JobStatus[] }>(`/api/jobs?batch=${id}&limit=${BATCH_PAGE}`)).body.items,
    enabled,
  });
}

/** How many of a batch's jobs its opened row lists. */
export const BATCH_PAGE = 50;

export async function cancelBatch(batch: BatchStatus): Promise<BatchStatus> {
  const response = await fetch(batch.links.self, { method: "DELETE", headers: { Accept: "application/json" } });
  if (!response.ok) throw await problemOf(response);
  return (await response.json()) as BatchStatus;
}

/** Your unfinished jobs and the most you may have at once (GET /api/account/usage). */
export interface Usage {
  unfinished: number;
  cap: number;
  customCap: boolean;
}

// Counts move as jobs finish; a glance every few seconds is enough for a line of text.
const USAGE_REFRESH_MS = 5_000;

export function useUsage() {
  return useQuery({
    queryKey: jobKeys.usage(),
    queryFn: async () => (await getJson<Usage>("/api/account/usage")).body,
    refetchInterval: USAGE_REFRESH_MS,
  });
}

/**
 * One job. While updates are pushed (`live`) it does not poll; otherwise it
 * polls at the pace the server's Retry-After asks for, until it finishes. `?redirect=false` reads the status even after success, since
 * fetch would otherwise follow the 303 to the result.
 */
export function useJob(id: string, { live }: { live: boolean }) {
  return useQuery({
    queryKey: jobKeys.detail(id),
    queryFn: (): Promise<JobResponse> => getJson<JobStatus>(`/api/jobs/${id}?redirect=false`),
    refetchInterval: (query) => {
      const data = query.state.data;
      if (live || !data || isTerminal(data.body.state)) return false;
      return data.retryAfterMs ?? 2_000;
    },
    retry: (count, error) => !(error instanceof ApiProblem && error.problem.status === 404) && count < 3,
    structuralSharing: keepNewestJob,
  });
}

/**
 * The newest jobs. While updates are pushed (`live`) it does not poll;
 * otherwise it refreshes as often as the soonest running job asks.
 */
export function useJobList({ live }: { live: boolean }) {
  return useQuery({
    queryKey: jobKeys.list(),
    queryFn: () =>
      getJson<{ items: JobStatus[]; links: { next: string | null } }>(`/api/jobs?limit=${LIST_SIZE}&batch=none`),
    refetchInterval: (query) => (live ? false : (query.state.data?.retryAfterMs ?? IDLE_LIST_REFRESH_MS)),
    structuralSharing: keepNewestItems,
  });
}

export async function submitJob(
  type: string,
  input: Record<string, unknown>,
  options: { notifyWhenDone?: boolean } = {},
): Promise<JobStatus> {
  const response = await fetch("/api/jobs", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ type, input, ...options }),
  });
  if (response.status !== 202) throw await problemOf(response);
  return (await response.json()) as JobStatus;
}

/** Uploads a file for a job's input to name (a CSV of recipients): its id, or the problem with it. */
export async function uploadFile(file: File): Promise<{ id: string; rows: number }> {
  const body = new FormData();
  body.set("file", file);
  const response = await fetch("/api/uploads", { method: "POST", body, headers: { Accept: "application/json" } });
  if (response.status !== 201) throw await problemOf(response);
  return (await response.json()) as { id: string; rows: number };
}

async function sendJobAction(url: string, method: "DELETE" | "POST"): Promise<JobStatus> {
  const response = await fetch(url, { method, headers: { Accept: "application/json" } });
  if (!response.ok) throw await problemOf(response);
  return (await response.json()) as JobStatus;
}

/** DELETE on the status URI cancels a queued or running job. */
export const cancelJob = (job: JobStatus) => sendJobAction(job.links.self, "DELETE");

/** Runs a failed job again. */
export const retryJob = (job: JobStatus) => sendJobAction(`${job.links.self}/retry`, "POST");
