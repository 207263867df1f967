"use client";

import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { type JobResponse, type JobStatus, jobKeys, LIST_SIZE, type ListResponse } from "./api";

/** "live": pushed over SSE, no polling. "polling": push is down, Retry-After paces polls. */
export type LiveMode = "connecting" | "live" | "polling";

const LiveModeContext = createContext<LiveMode>("connecting");

export const useLiveMode = () => useContext(LiveModeContext);

const MAX_BACKOFF_MS = 30_000;

/** Puts a pushed job into the cache, unless the cache already has that version or newer. */
function applyJob(queryClient: QueryClient, job: JobStatus) {
  queryClient.setQueryData<JobResponse>(jobKeys.detail(job.id), (old) =>
    old && old.body.version >= job.version ? old : { body: job, retryAfterMs: old?.retryAfterMs ?? null },
  );
  let listed = false;
  queryClient.setQueryData<ListResponse>(jobKeys.list(), (old) => {
    if (!old) return old;
    const items = old.body.items;
    const index = items.findIndex((item) => item.id === job.id);
    if (index === -1) {
      // A job newer than any shown (just submitted, here or elsewhere) goes on
      // top, as the newest-first list would have it; no request needed.
      const newest = items[0];
      if (newest && job.createdAt < newest.createdAt) return old;
      listed = true;
      return { ...old, body: { ...old.body, items: [job, ...items].slice(0, LIST_SIZE) } };
    }
    listed = true;
    if ((items[index]?.version ?? 0) >= job.version) return old;
    const updated = [...items];
    updated[index] = job;
    return { ...old, body: { ...old.body, items: updated } };
  });
  // A job from further back than the list shows: let the list decide.
  if (!listed) void queryClient.invalidateQueries({ queryKey: jobKeys.list() });
}

/**
 * One EventSource per page, on /api/events, feeding React Query's cache.
 * While it is open the queries do not poll; when it drops they poll at the
 * server's Retry-After, and the stream is retried with backoff.
 */
export function LiveUpdatesProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<LiveMode>("connecting");

  useEffect(() => {
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let backoffMs = 1_000;
    let disposed = false;

    const connect = () => {
      source = new EventSource("/api/events");
      source.addEventListener("open", () => {
        backoffMs = 1_000;
        setMode("live");
        // Catch up on whatever changed while we were not listening.
        void queryClient.invalidateQueries({ queryKey: jobKeys.all });
      });
      source.addEventListener("job", (event) => {
        applyJob(queryClient, JSON.parse((event as MessageEvent<string>).data) as JobStatus);
      });
      source.addEventListener("error", () => {
        setMode("polling");
        // CONNECTING: the browser retries by itself. CLOSED: it gave up (the
        // server refused, or the route is blocked), so we retry, backing off.
        if (source?.readyState === EventSource.CLOSED && !disposed) {
          source.close();
          retryTimer = setTimeout(connect, backoffMs);
          backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        }
      });
    };
    connect();
    return () => {
      disposed = true;
      clearTimeout(retryTimer);
      source?.close();
    };
  }, [queryClient]);

  return <LiveModeContext.Provider value={mode}>{children}</LiveModeContext.Provider>;
}

const LABELS: Record<LiveMode, string> = {
  connecting: "Connecting…",
  live: "Live",
  polling: "Polling",
};

const TITLES: Record<LiveMode, string> = {
  connecting: "Connecting to live updates",
  live: "Updates are pushed to this page as they happen",
  polling: "Live updates are unavailable; checking for changes periodically",
};

/** Says whether updates are pushed or polled. */
export function LiveIndicator() {
  const mode = useLiveMode();
  return (
    <span className="live-indicator" data-mode={mode} role="status" title={TITLES[mode]}>
      <span className="live-dot" aria-hidden="true" />
      {LABELS[mode]}
    </span>
  );
}
