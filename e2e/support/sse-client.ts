import { Arrivals } from "./arrivals";

/** A minimal Server-Sent Events client over fetch, for tests that read streams from Node. */
export interface ReceivedEvent {
  id?: string;
  event: string;
  data: string;
}

export class SseClient {
  private readonly arrivals = new Arrivals<ReceivedEvent>();
  readonly events = this.arrivals.items;
  response!: Response;
  private readonly controller = new AbortController();
  closedByServer = false;
  /** Called as each event arrives (a benchmark's timing). */
  onEvent?: (event: ReceivedEvent) => void;
  done!: Promise<void>;

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    client.response = await fetch(url, {
      headers: { Accept: "text/event-stream", ...headers },
      signal: client.controller.signal,
    });
    client.done = client.read();
    return client;
  }

  private async read() {
    const body = this.response.body;
    if (!body) return;
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      const reader = body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let boundary = buffer.indexOf("\n\n");
        while (boundary !== -1) {
          this.parse(buffer.slice(0, boundary));
          buffer = buffer.slice(boundary + 2);
          boundary = buffer.indexOf("\n\n");
        }
      }
      this.closedByServer = true;
    } catch {
      // aborted by close()
    } finally {
      this.arrivals.wake();
    }
  }

  private parse(block: string) {
    const event: ReceivedEvent = { event: "message", data: "" };
    let hasData = false;
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue;
      const [field, ...rest] = line.split(":");
      const value = rest.join(":").replace(/^ /, "");
      if (field === "id") event.id = value;
      if (field === "event") event.event = value;
      if (field === "data") {
        event.data += value;
        hasData = true;
      }
    }
    if (hasData) {
      this.onEvent?.(event);
      this.arrivals.push(event);
    }
  }

  /** Waits until `predicate` holds for the events so far, or throws after `timeoutMs`. */
  waitFor(predicate: (events: ReceivedEvent[]) => boolean, timeoutMs = 20_000): Promise<void> {
    return this.arrivals.waitFor(predicate, timeoutMs, () => (this.closedByServer ? "stream closed" : null));
  }

  /** The parsed data of each `job` event (optionally for one job). */
  jobs(id?: string): { id: string; version: number; state: string; progress: number }[] {
    return this.events
      .filter((event) => event.event === "job")
      .map((event) => JSON.parse(event.data))
      .filter((job) => id === undefined || job.id === id);
  }

  close() {
    this.controller.abort();
  }
}
