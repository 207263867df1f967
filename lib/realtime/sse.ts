const HEARTBEAT_MS = 15_000;
// How long an EventSource waits before reconnecting after a drop.
const RECONNECT_MS = 2_000;

export interface SseEvent {
  id?: string;
  event?: string;
  data: unknown;
}

export interface SseStream {
  send(event: SseEvent): void;
  close(): void;
  readonly closed: boolean;
}

function format({ id, event, data }: SseEvent): string {
  let text = "";
  if (id !== undefined) text += `id: ${id}\n`;
  if (event) text += `event: ${event}\n`;
  // JSON has no raw newlines, so the data fits one data: line.
  return `${text}data: ${JSON.stringify(data)}\n\n`;
}

/**
 * A text/event-stream response. `start` sets the stream up and returns its
 * cleanup, which runs exactly once: when the client goes away (request
 * aborted or stream cancelled) or when the server closes the stream.
 */
export function sseResponse(request: Request, start: (stream: SseStream) => () => void): Response {
  const encoder = new TextEncoder();
  let cleanup: (() => void) | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let closed = false;
  const runCleanup = () => {
    const pending = cleanup;
    cleanup = undefined;
    pending?.();
  };

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const finish = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        request.signal.removeEventListener("abort", finish);
        runCleanup();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          finish();
        }
      };
      const stream: SseStream = {
        send: (event) => write(format(event)),
        close: finish,
        get closed() {
          return closed;
        },
      };
      write(`retry: ${RECONNECT_MS}\n\n`);
      heartbeat = setInterval(() => write(": heartbeat\n\n"), HEARTBEAT_MS);
      request.signal.addEventListener("abort", finish);
      cleanup = start(stream);
      // start() may have closed the stream already (a finished job).
      if (closed) runCleanup();
    },
    cancel() {
      closed = true;
      clearInterval(heartbeat);
      runCleanup();
    },
  });

  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform keeps compression from buffering the stream; the
      // X-Accel-Buffering header does the same for nginx.
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
      Connection: "keep-alive",
    },
  });
}
