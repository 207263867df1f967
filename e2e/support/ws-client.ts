import WebSocket from "ws";
import { Arrivals } from "./arrivals";

/** What /api/events sends over a WebSocket. */
export interface SocketMessage {
  type: "ready" | "job" | "not-found" | "error";
  scope?: "own" | "all" | "job";
  id?: string;
  detail?: string;
  job?: { id: string; version: number; state: string; progress: number; updatedAt: string };
}

/** A WebSocket client of /api/events for tests and benchmarks: every message kept, the close code recorded. */
export class SocketClient {
  private readonly arrivals = new Arrivals<SocketMessage>();
  readonly messages = this.arrivals.items;
  closed: { code: number; reason: string } | null = null;
  readonly done: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => this.arrivals.push(JSON.parse(String(data)) as SocketMessage));
    socket.on("error", () => {});
    this.done = new Promise((resolve) =>
      socket.on("close", (code, reason) => {
        this.closed = { code, reason: String(reason) };
        this.arrivals.wake();
        resolve(this.closed);
      }),
    );
  }

  /** Connects to `baseUrl`'s /api/events (`query` appended) with `headers` (a token, or a cookie and Origin). */
  static connect(baseUrl: string, headers: Record<string, string> = {}, query = ""): SocketClient {
    return new SocketClient(new WebSocket(`${baseUrl.replace(/^http/, "ws")}/api/events${query}`, { headers }));
  }

  /** Connects and waits for `ready`; throws with the close code if the server closes instead. */
  static async ready(baseUrl: string, headers: Record<string, string> = {}, query = ""): Promise<SocketClient> {
    const client = SocketClient.connect(baseUrl, headers, query);
    await client.waitFor((messages) => messages.some((message) => message.type === "ready"));
    return client;
  }

  send(message: object) {
    this.socket.send(JSON.stringify(message));
  }

  /** Waits until `predicate` holds for the messages so far; throws if the socket closes first or after `timeoutMs`. */
  waitFor(predicate: (messages: SocketMessage[]) => boolean, timeoutMs = 20_000): Promise<void> {
    return this.arrivals.waitFor(predicate, timeoutMs, () =>
      this.closed ? `socket closed (${this.closed.code} ${this.closed.reason})` : null,
    );
  }

  /** The job representations received (optionally of one job), in order. */
  jobs(id?: string): NonNullable<SocketMessage["job"]>[] {
    return this.messages
      .flatMap((message) => (message.type === "job" && message.job ? [message.job] : []))
      .filter((job) => id === undefined || job.id === id);
  }

  close() {
    this.socket.close();
  }
}
