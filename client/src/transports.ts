import { type Connection, isFinished, type JobStatus } from "./connection.ts";
import { AcceptedProblem, problemOf } from "./problem.ts";

/** How a handle follows its job: pushed (WebSocket, SSE), or asked (long polling, polling at Retry-After). */
export type Transport = "websocket" | "sse" | "long-poll" | "poll";

export interface FollowOptions {
  signal?: AbortSignal;
  /** Force a transport; by default the best one available (WebSocket, then SSE, then long polling). */
  transport?: Transport;
  /** Called with each new state, as well as yielded. */
  onUpdate?: (job: JobStatus) => void;
}

/** After this many failures in a row to reach the server, following gives up with the last error. */
const MAX_FAILURES = 8;
const LONG_POLL_WAIT_S = 30;

export const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });

export const backoff = (failures: number) => Math.min(10_000, 250 * 2 ** failures);

/** An answer that means "try again later" (the server is busy or stopping), and how long to wait. */
async function transient(response: Response): Promise<number | null> {
  if (response.status !== 503 && response.status !== 429 && response.status !== 502 && response.status !== 504)
    return null;
  const header = Number(response.headers.get("Retry-After"));
  await response.body?.cancel().catch(() => {});
  return Number.isFinite(header) && header > 0 ? header * 1000 : 1_000;
}

/** The transport to use when none is forced: the best this runtime and credential allow. */
export function bestTransport(token: string | undefined): Transport {
  // A WebSocket cannot send headers: it carries a session cookie (a browser) or a job token (in the query).
  const socketCredential = token === undefined || token.startsWith("ajt_");
  if (typeof globalThis.WebSocket === "function" && socketCredential) return "websocket";
  return typeof ReadableStream === "function" ? "sse" : "long-poll";
}

/** The WebSocket never opened (a proxy that drops upgrades, a browser's policy): try the next transport. */
class SocketUnavailable extends Error {}

/**
 * The job's new states until it finishes: each version once, in order,
 * whatever the transport and however often it reconnects. Unless one is
 * forced, a WebSocket that cannot be opened gives way to Server-Sent Events.
 */
export async function* follow(
  connection: Connection,
  id: string,
  since: number,
  options: FollowOptions,
): AsyncGenerator<JobStatus> {
  let version = since;
  const had = () => version;
  let transport = options.transport ?? bestTransport(connection.options.token);
  const fallBack = options.transport === undefined;
  for (;;) {
    const source =
      transport === "websocket"
        ? overWebSocket(connection, id, had, fallBack, options.signal)
        : transport === "sse"
          ? overSse(connection, id, had, options.signal)
          : byPolling(connection, id, had, transport === "long-poll", options.signal);
    try {
      for await (const job of source) {
        if (job.version <= version) continue;
        version = job.version;
        yield job;
        if (isFinished(job.state)) return;
      }
      return;
    } catch (error) {
      if (!(error instanceof SocketUnavailable)) throw error;
      transport = "sse";
    }
  }
}

type VersionHad = () => number;

/**
 * One GET, sent again as the network and the server ask (no answer: with
 * backoff; 503 or 429: after Retry-After) until it gets an answer to use;
 * null once aborted. Throws after MAX_FAILURES failures to connect in a row.
 */
async function getPatiently(
  connection: Connection,
  path: string,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<Response | null> {
  let failures = 0;
  while (!signal?.aborted) {
    let response: Response;
    try {
      response = await connection.request(path, { headers, signal });
    } catch (error) {
      if (signal?.aborted) return null;
      if (++failures >= MAX_FAILURES) throw error;
      await pause(backoff(failures), signal);
      continue;
    }
    const wait = await transient(response);
    if (wait === null) return response;
    await pause(wait, signal);
  }
  return null;
}

async function* byPolling(
  connection: Connection,
  id: string,
  had: VersionHad,
  long: boolean,
  signal?: AbortSignal,
): AsyncGenerator<JobStatus> {
  while (!signal?.aborted) {
    const conditional: Record<string, string> =
      long && had() > 0 ? { "If-None-Match": `W/"${had()}"`, Prefer: `wait=${LONG_POLL_WAIT_S}` } : {};
    const response = await getPatiently(connection, `/api/jobs/${id}?redirect=false`, conditional, signal);
    if (!response) return;
    if (response.status === 304) continue;
    if (!response.ok) throw await problemOf(response);
    const job = (await response.json()) as JobStatus;
    yield job;
    if (isFinished(job.state)) return;
    if (!long || had() === 0) {
      const retryAfter = Number(response.headers.get("Retry-After"));
      await pause(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 1_000, signal);
    }
  }
}

/** Server-Sent Events over fetch (headers can be sent, unlike EventSource), resuming with Last-Event-ID. */
async function* overSse(
  connection: Connection,
  id: string,
  had: VersionHad,
  signal?: AbortSignal,
): AsyncGenerator<JobStatus> {
  let drops = 0;
  while (!signal?.aborted) {
    const resume: Record<string, string> = had() > 0 ? { "Last-Event-ID": String(had()) } : {};
    const response = await getPatiently(
      connection,
      `/api/jobs/${id}/events`,
      { Accept: "text/event-stream", ...resume },
      signal,
    );
    if (!response) return;
    if (!response.ok || !response.body) throw await problemOf(response);
    try {
      for await (const data of eventData(response.body, "job")) {
        drops = 0;
        const job = JSON.parse(data) as JobStatus;
        yield job;
        if (isFinished(job.state)) return;
      }
    } catch {
      if (signal?.aborted) return;
      // The connection dropped mid-stream: reconnect below, from the version we have.
    }
    if (++drops >= MAX_FAILURES) throw new Error("the event stream keeps ending before the job does");
    await pause(backoff(drops), signal);
  }
}

/** The data of each event named `name` in a text/event-stream body. */
export async function* eventData(body: ReadableStream<Uint8Array>, name: string): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
      for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = "message";
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        }
        if (event === name && data.length > 0) yield data.join("\n");
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** The ws: or wss: URL of `path`, carrying a job token in the query (a WebSocket cannot send headers). */
export function socketUrl(connection: Connection, path: string): URL {
  const url = new URL(connection.url(path));
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const token = connection.options.token;
  if (token?.startsWith("ajt_")) url.searchParams.set("access_token", token);
  return url;
}

/** A WebSocket at /api/events subscribed to the job with the version we have; reconnects the same way. */
async function* overWebSocket(
  connection: Connection,
  id: string,
  had: VersionHad,
  fallBack: boolean,
  signal?: AbortSignal,
): AsyncGenerator<JobStatus> {
  const url = socketUrl(connection, "/api/events");
  let failures = 0;
  let everOpened = false;
  while (!signal?.aborted) {
    const arrived: JobStatus[] = [];
    let wake = () => {};
    let closed: { code: number; reason: string } | null = null;
    const socket = new WebSocket(url);
    const onAbort = () => socket.close();
    signal?.addEventListener("abort", onAbort);
    socket.onopen = () => socket.send(JSON.stringify({ type: "subscribe", jobs: { [id]: had() } }));
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as { type: string; job?: JobStatus; id?: string };
      // The server's word that it accepted us: a socket closed before it never really opened.
      if (message.type === "ready") everOpened = true;
      if (message.type === "job" && message.job?.id === id) arrived.push(message.job);
      if (message.type === "not-found") closed = { code: 4404, reason: "not found" };
      wake();
    };
    socket.onclose = (event) => {
      closed ??= { code: event.code, reason: event.reason };
      wake();
    };
    try {
      for (;;) {
        const job = arrived.shift();
        if (job) {
          failures = 0;
          yield job;
          if (isFinished(job.state)) return;
          continue;
        }
        if (closed) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      socket.close();
    }
    if (!everOpened && fallBack && !signal?.aborted) throw new SocketUnavailable("the WebSocket did not open");
    const ended = closed as { code: number; reason: string } | null;
    if (ended && [4400, 4401, 4403, 4404].includes(ended.code)) {
      const status = ended.code === 4404 ? 404 : ended.code === 4403 ? 403 : ended.code === 4401 ? 401 : 400;
      throw new AcceptedProblem({ type: "about:blank", title: ended.reason || "Refused", status });
    }
    if (++failures >= MAX_FAILURES) throw new Error(`the WebSocket keeps closing (${ended?.code})`);
    await pause(backoff(failures), signal);
  }
}
