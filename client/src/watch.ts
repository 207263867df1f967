import type { Connection, JobStatus } from "./connection.ts";
import { bestTransport, eventData, pause, socketUrl } from "./transports.ts";

/** "live": changes are pushed. "polling": the connection is down (poll meanwhile) and is being tried again. */
export type WatchMode = "connecting" | "live" | "polling";

export interface WatchState {
  mode: WatchMode;
  transport: "websocket" | "sse" | null;
}

export interface WatchOptions {
  /** "all": every user's jobs (admins only). Your own by default. */
  scope?: "mine" | "all";
  signal?: AbortSignal;
  /** Called with every change, in the order they happen. */
  onJob: (job: JobStatus) => void;
  /**
   * Called when the connection comes up, and when it drops. Changes made while it was down are not
   * replayed: when it says "live" again, read again what you show.
   */
  onState?: (state: WatchState) => void;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/** How one connection ended: it never opened (try the next transport), it dropped after opening, or we stopped. */
type Ending = "unopened" | "dropped" | "aborted";

/**
 * Every change to the caller's jobs over one connection to /api/events,
 * until `signal` aborts: a WebSocket first; if one cannot be had (a proxy
 * that drops upgrades), Server-Sent Events. When it drops, it is tried
 * again with backoff, WebSocket first.
 */
export async function watchJobs(connection: Connection, options: WatchOptions): Promise<void> {
  const path = options.scope === "all" ? "/api/events?scope=all" : "/api/events";
  const { signal } = options;
  let retryMs = FIRST_RETRY_MS;
  const opened = (transport: "websocket" | "sse") => {
    retryMs = FIRST_RETRY_MS;
    options.onState?.({ mode: "live", transport });
  };
  options.onState?.({ mode: "connecting", transport: null });
  while (!signal?.aborted) {
    let ending: Ending = "unopened";
    if (bestTransport(connection.options.token) === "websocket") {
      ending = await overSocket(socketUrl(connection, path), options, opened);
    }
    if (ending === "unopened") ending = await overEventStream(connection, path, options, opened);
    if (ending === "aborted" || signal?.aborted) return;
    options.onState?.({ mode: "polling", transport: null });
    await pause(retryMs, signal);
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
  }
}

/** What /api/events sends over a WebSocket (the README's realtime section). */
type SocketMessage = { type: "ready" } | { type: "job"; job: JobStatus } | { type: "not-found" | "error" };

function overSocket(url: URL, options: WatchOptions, opened: (transport: "websocket") => void): Promise<Ending> {
  const { signal } = options;
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    let ready = false;
    const stop = () => socket.close();
    signal?.addEventListener("abort", stop, { once: true });
    socket.onmessage = (event) => {
      let message: SocketMessage;
      try {
        message = JSON.parse(String(event.data)) as SocketMessage;
      } catch {
        return;
      }
      if (message.type === "ready") {
        ready = true;
        opened("websocket");
      } else if (message.type === "job") options.onJob(message.job);
    };
    socket.onclose = () => {
      signal?.removeEventListener("abort", stop);
      resolve(signal?.aborted ? "aborted" : ready ? "dropped" : "unopened");
    };
  });
}

/** Server-Sent Events over fetch, so it carries the same credentials as every other request. */
async function overEventStream(
  connection: Connection,
  path: string,
  options: WatchOptions,
  opened: (transport: "sse") => void,
): Promise<Ending> {
  const { signal } = options;
  let response: Response;
  try {
    response = await connection.request(path, { headers: { Accept: "text/event-stream" }, signal });
  } catch {
    return signal?.aborted ? "aborted" : "unopened";
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => {});
    return "unopened";
  }
  opened("sse");
  try {
    for await (const data of eventData(response.body, "job")) options.onJob(JSON.parse(data) as JobStatus);
  } catch {
    // Dropped mid-stream (or aborted): said below.
  }
  return signal?.aborted ? "aborted" : "dropped";
}
