"use client";

import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { usePathname } from "next/navigation";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { adminKeys } from "./admin-api";
import { type JobResponse, type JobStatus, jobKeys, LIST_SIZE, type ListResponse } from "./api";

/** "live": pushed (over a WebSocket or SSE), no polling. "polling": push is down, Retry-After paces polls. */
export type LiveMode = "connecting" | "live" | "polling";
type Transport = "websocket" | "sse";
interface Live {
  mode: LiveMode;
  transport: Transport | null;
}

/** What /api/events sends over a WebSocket (the README's realtime section). */
type SocketMessage = { type: "ready" } | { type: "job"; job: JobStatus } | { type: "not-found" | "error" };

const LiveContext = createContext<Live>({ mode: "connecting", transport: null });

export const useLiveMode = () => useContext(LiveContext).mode;

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
 * One live connection per page on /api/events (every job's, in the admin
 * console), feeding React Query's cache: a WebSocket first; if that cannot
 * be had (a proxy that drops upgrades), Server-Sent Events; if neither,
 * polling. While one is open the queries do not poll; when it drops they
 * poll at the server's Retry-After, and the connection is tried again with
 * backoff, WebSocket first.
 */
export function LiveUpdatesProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [live, setLive] = useState<Live>({ mode: "connecting", transport: null });
  const path = usePathname().startsWith("/admin") ? "/api/events?scope=all" : "/api/events";

  useEffect(() => {
    let socket: WebSocket | null = null;
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let backoffMs = 1_000;
    let disposed = false;
    const admin = refresher(queryClient, adminKeys.all);
    const batches = refresher(queryClient, jobKeys.batches());

    const received = (job: JobStatus) => {
      applyJob(queryClient, job, batches.changed);
      admin.changed();
    };
    const opened = (transport: Transport) => {
      backoffMs = 1_000;
      setLive({ mode: "live", transport });
      // Catch up on whatever changed while we were not listening.
      void queryClient.invalidateQueries({ queryKey: jobKeys.all });
    };
    const retryLater = () => {
      setLive({ mode: "polling", transport: null });
      if (disposed) return;
      retryTimer = setTimeout(connectSocket, backoffMs);
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    };

    const connectSse = () => {
      source = new EventSource(path);
      source.addEventListener("open", () => opened("sse"));
      source.addEventListener("job", (event) =>
        received(JSON.parse((event as MessageEvent<string>).data) as JobStatus),
      );
      source.addEventListener("error", () => {
        // CONNECTING: the browser retries by itself. CLOSED: it gave up (the
        // server refused, or the route is blocked), so we retry, backing off.
        if (source?.readyState === EventSource.CLOSED) {
          source.close();
          retryLater();
        } else setLive({ mode: "polling", transport: null });
      });
    };

    const connectSocket = () => {
      const url = new URL(path, window.location.href);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      const current = new WebSocket(url);
      socket = current;
      let ready = false;
      current.addEventListener("message", (event) => {
        const message = JSON.parse(String(event.data)) as SocketMessage;
        if (message.type === "ready") {
          ready = true;
          opened("websocket");
        } else if (message.type === "job") received(message.job);
      });
      current.addEventListener("close", () => {
        if (disposed || socket !== current) return;
        socket = null;
        // Never became ready: WebSockets do not get through (or were refused), so try SSE.
        if (!ready) connectSse();
        else retryLater();
      });
    };

    connectSocket();
    return () => {
      disposed = true;
      clearTimeout(retryTimer);
      admin.dispose();
      batches.dispose();
      socket?.close();
      source?.close();
    };
  }, [queryClient, path]);

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
