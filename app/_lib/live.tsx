"use client";

import type { JobStatus } from "@accepted/client";
import { useLiveJobs, type WatchMode, type WatchState } from "@accepted/client/react";
import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { usePathname } from "next/navigation";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo } from "react";
import { adminKeys } from "./admin-api";
import { jobKeys, LIST_SIZE } from "./api";
import { scheduleKeys } from "./schedules-api";

/** "live": pushed (over a WebSocket or SSE), no polling. "polling": push is down, the queries poll. */
export type LiveMode = WatchMode;
type Transport = NonNullable<WatchState["transport"]>;

const LiveContext = createContext<WatchState>({ mode: "connecting", transport: null });

export const useLiveMode = () => useContext(LiveContext).mode;

// The admin console's filtered views, batches' counts and schedules' runs
// cannot place a pushed job themselves; they refetch, at most this often however many jobs change.
const VIEW_REFRESH_MS = 1_000;

/**
 * Places a pushed job in the dashboard's list (the SDK has already put it
 * where useJob reads it). A batch's job is not listed on its own: its batch
 * row (and its opened list) are refreshed instead, by `batchChanged`.
 */
function listJob(queryClient: QueryClient, job: JobStatus, batchChanged: () => void) {
  if (job.batchId) {
    batchChanged();
    return;
  }
  let listed = false;
  queryClient.setQueryData<JobStatus[]>(jobKeys.list(), (items) => {
    if (!items) return items;
    const index = items.findIndex((item) => item.id === job.id);
    if (index === -1) {
      // A job newer than any shown (just submitted, here or elsewhere) goes on
      // top, as the newest-first list would have it; no request needed.
      const newest = items[0];
      if (newest && job.createdAt < newest.createdAt) return items;
      listed = true;
      return [job, ...items].slice(0, LIST_SIZE);
    }
    listed = true;
    if ((items[index]?.version ?? 0) >= job.version) return items;
    const updated = [...items];
    updated[index] = job;
    return updated;
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
 * One live connection per page (every job's, in the admin console) through
 * the SDK's useLiveJobs: a WebSocket, else Server-Sent Events, else the
 * queries poll while it is tried again. Each change reaches the job's own
 * query (the SDK's cache) and, here, the list, the batches, the console,
 * and a schedule's runs (with its next firings, moved on by the firing).
 */
export function LiveUpdatesProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const admin = usePathname().startsWith("/admin");
  const refreshers = useMemo(
    () => ({
      admin: refresher(queryClient, adminKeys.all),
      batches: refresher(queryClient, jobKeys.batches()),
      schedules: refresher(queryClient, scheduleKeys.all),
    }),
    [queryClient],
  );
  useEffect(
    () => () => {
      refreshers.admin.dispose();
      refreshers.batches.dispose();
      refreshers.schedules.dispose();
    },
    [refreshers],
  );
  const onJob = useCallback(
    (job: JobStatus) => {
      listJob(queryClient, job, refreshers.batches.changed);
      if (job.scheduleId) refreshers.schedules.changed();
      refreshers.admin.changed();
    },
    [queryClient, refreshers],
  );
  const live = useLiveJobs({ scope: admin ? "all" : "mine", onJob });
  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
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

const TRANSPORTS: Record<Transport, string> = { websocket: "WebSocket", sse: "SSE" };

/** Says whether updates are pushed or polled, and over what. */
export function LiveIndicator() {
  const { mode, transport } = useContext(LiveContext);
  return (
    <span
      className="live-indicator"
      data-mode={mode}
      data-transport={transport ?? "none"}
      role="status"
      title={TITLES[mode]}
    >
      <span className="live-dot" aria-hidden="true" />
      {LABELS[mode]}
      {mode === "live" && transport ? <span className="live-transport"> · {TRANSPORTS[transport]}</span> : null}
    </span>
  );
}
