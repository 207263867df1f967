import type { IncomingMessage, ServerResponse } from "node:http";
import { Outbox } from "./outbox";

const HEARTBEAT_MS = 15_000;
// How long an EventSource waits before reconnecting after a drop.
const RECONNECT_MS = 2_000;

export interface SseEvent {
  id?: string;
  event?: string;
  /** The data, serialized here; or `json`, serialized already. */
  data?: unknown;
  json?: string;
  /** The whole event, formatted and encoded already (shared among streams); the fields above are then unused. */
  prepared?: Buffer;
  /** Events with the same key supersede one another while the client is behind (a job's id). */
  key?: string;
}

export interface SseStream {
  send(event: SseEvent): void;
  close(): void;
  readonly closed: boolean;
}

/** Sets a stream up and returns its cleanup, which runs exactly once, however the stream ends. */
export type StreamStart = (stream: SseStream) => () => void;

const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  // no-transform keeps compression from buffering the stream; the
  // X-Accel-Buffering header does the same for nginx.
  "Cache-Control": "no-cache, no-transform",
  "X-Accel-Buffering": "no",
  Connection: "keep-alive",
};

export function formatSse({ id, event, data, json }: SseEvent): string {
  let text = "";
  if (id !== undefined) text += `id: ${id}\n`;
  if (event) text += `event: ${event}\n`;
  // JSON has no raw newlines, so the data fits one data: line.
  return `${text}data: ${json ?? JSON.stringify(data)}\n\n`;
}

/** Where a stream's text goes: a Next.js response body or a Node response. */
interface SseTransport {
  write(text: string | Buffer): void;
  /** Bytes written that the client has not read yet. */
  buffered(): number;
  end(): void;
}

/**
 * Runs an event stream over a transport: the retry hint, heartbeats, the
 * outbox that keeps a slow client bounded, and a cleanup that runs once.
 * Returns the function that ends it (the client went away, or the server
 * closes it).
 */
function runSse(transport: SseTransport, start: StreamStart): () => void {
  let closed = false;
  let cleanup: (() => void) | undefined;
  const runCleanup = () => {
    const pending = cleanup;
    cleanup = undefined;
    pending?.();
  };
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    outbox.close();
    runCleanup();
    transport.end();
  };
  const outbox = new Outbox({ write: (text) => transport.write(text), buffered: transport.buffered, overflow: finish });
  const stream: SseStream = {
    send: (event) => outbox.send(event.prepared ?? formatSse(event), event.key),
    // The server ends it: what the client has yet to get (a final state) goes first.
    close: () => {
      outbox.flushAll();
      finish();
    },
    get closed() {
      return closed;
    },
  };
  transport.write(`retry: ${RECONNECT_MS}\n\n`);
  const heartbeat = setInterval(() => outbox.send(": heartbeat\n\n"), HEARTBEAT_MS);
  cleanup = start(stream);
  // start() may have closed the stream already (a finished job).
  if (closed) runCleanup();
  return finish;
}

/** A text/event-stream response for a Next.js route handler. */
export function sseResponse(request: Request, start: StreamStart): Response {
  const encoder = new TextEncoder();
  let finish: (() => void) | undefined;
  let ended = false;
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const end = () => {
          ended = true;
          request.signal.removeEventListener("abort", onAbort);
          try {
            controller.close();
          } catch {
            // already closed by the client
          }
        };
        const write = (text: string | Buffer) => {
          if (ended) return;
          try {
            controller.enqueue(typeof text === "string" ? encoder.encode(text) : new Uint8Array(text));
          } catch {
            finish?.();
          }
        };
        const onAbort = () => finish?.();
        request.signal.addEventListener("abort", onAbort);
        // With a high-water mark of 0 bytes, what the queue holds is what the client has not read.
        finish = runSse({ write, buffered: () => Math.max(0, -(controller.desiredSize ?? 0)), end }, start);
      },
      cancel() {
        ended = true;
        finish?.();
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 0 }),
  );
  return new Response(body, { headers: SSE_HEADERS });
}

/**
 * The same stream written straight to a Node response, by our own server
 * (server.ts): without a Web stream and Next's pipeline between, an idle
 * stream costs a few kilobytes.
 */
export function serveSse(request: IncomingMessage, response: ServerResponse, start: StreamStart): void {
  response.writeHead(200, SSE_HEADERS);
  // What one turn of the event loop writes (a replay's rows) goes out as one write, not one per event.
  let corked = false;
  const uncork = () => {
    corked = false;
    response.uncork();
  };
  const finish = runSse(
    {
      write: (text) => {
        if (!corked) {
          corked = true;
          response.cork();
          process.nextTick(uncork);
        }
        response.write(text);
      },
      buffered: () => response.writableLength,
      end: () => response.end(),
    },
    start,
  );
  request.socket.setNoDelay(true);
  response.once("close", finish);
}
