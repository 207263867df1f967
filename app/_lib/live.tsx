"use client";

import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { usePathname } from "next/navigation";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { adminKeys } from "./admin-api";
import { type JobResponse, type JobStatus, jobKeys, LIST_SIZE, type ListResponse } from "./api";

/** "live": pushed over SSE, no polling. "polling": push is down, Retry-After paces polls. */
export type LiveMode = "connecting" | "live" | "polling";

const LiveModeContext = createContext<LiveMode>("connecting");

export const useLiveMode = () => useContext(LiveModeContext);

const MAX_BACKOFF_MS = 30_000;

// The admin console's filtered views, and batches' counts, cannot place a
// pushed job themselves; they refetch, at most this often however many jobs change.
const VIEW_REFRESH_MS = 1_000;

/**
 * Puts a pushed job into the cache, unless the cache already has that
 * version or newer. A batch's job is not listed on its own: its batch row
 * (and its opened list) are refreshed instead, by `batchChanged`.
 */
function applyJob(queryClient: QueryClient, job: JobStatus, batchChanged: () => void) {
  queryClient.setQueryData<JobResponse>(jobKeys.detail(job.id), (old) =>
    old && old.body.version >= job.version ? old : { body: job, retryAfterMs: old?.retryAfterMs ?? null },
  );
  if (job.batchId) {
    batchChanged();
    return;
  }
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

/** Refetches the views under `queryKey` after a change, once per interval at most. */
function refresher(queryClient: QueryClient, queryKey: readonly unknown[]) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    changed() {
      timer ??= setTimeout(() => {
        timer = undefined;
        void queryClient.invalidateQueries({ queryKey });
      }, VIEW_REFRESH_MS);
    },
    dispose: () => clearTimeout(timer),
  };
}

/**
 * One EventSource per page, on /api/events (every job's, in the admin
 * console), feeding React Query's cache.
 * While it is open the queries do not poll; when it drops they poll at the
 * server's Retry-After, and the stream is retried with backoff.
 */
export function LiveUpdatesProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<LiveMode>("connecting");
  const src = usePathname().startsWith("/admin") ? "/api/events?scope=all" : "/api/events";

  useEffect(() => {
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let backoffMs = 1_000;
    let disposed = false;
    const admin = refresher(queryClient, adminKeys.all);
    const batches = refresher(queryClient, jobKeys.batches());

    const connect = () => {
      source = new EventSource(src);
      source.addEventListener("open", () => {
        backoffMs = 1_000;
        setMode("live");
        // Catch up on whatever changed while we were not listening.
        void queryClient.invalidateQueries({ queryKey: jobKeys.all });
      });
      source.addEventListener("job", (event) => {
        applyJob(queryClient, JSON.parse((event as MessageEvent<string>).data) as JobStatus, batches.changed);
        admin.changed();
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
      admin.dispose();
      batches.dispose();
      source?.close();
    };
  }, [queryClient, src]);

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
