/** A minimal Server-Sent Events client over fetch, for tests that read streams from Node. */
export interface ReceivedEvent {
  id?: string;
  event: string;
  data: string;
}

export class SseClient {
  readonly events: ReceivedEvent[] = [];
  response!: Response;
  private readonly controller = new AbortController();
  private waiters: (() => void)[] = [];
  closedByServer = false;
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
      this.notify();
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
      this.events.push(event);
      this.notify();
    }
  }

  private notify() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Waits until `predicate` holds for the events so far, or throws after `timeoutMs`. */
  async waitFor(predicate: (events: ReceivedEvent[]) => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      if (this.closedByServer) throw new Error("stream closed before the expected events arrived");
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out; received ${this.events.length} events`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
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
