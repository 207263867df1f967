import { createServer, request as forward, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An HTTP proxy in front of the app that misbehaves as a network does, on
 * cue: it can lose the answer to a request it forwarded (the app did the
 * work; the client sees a 503), and cut event streams short.
 */
export class FlakyProxy {
  /** Requests whose answer is lost, by method and path, each once. */
  readonly loseAnswerTo: string[] = [];
  /** Event streams are cut this long after they open (null: never). */
  cutStreamsAfterMs: number | null = null;
  streamsOpened = 0;

  private constructor(
    private readonly server: Server,
    private readonly target: URL,
  ) {}

  static async start(target: string): Promise<FlakyProxy> {
    const server = createServer();
    const proxy = new FlakyProxy(server, new URL(target));
    server.on("request", (incoming, outgoing) => proxy.relay(incoming, outgoing));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private relay(incoming: IncomingMessage, outgoing: ServerResponse) {
    const key = `${incoming.method} ${incoming.url?.split("?")[0]}`;
    const lose = this.loseAnswerTo.indexOf(key);
    if (lose !== -1) this.loseAnswerTo.splice(lose, 1);
    const upstream = forward(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        if (lose !== -1) {
          answer.resume();
          outgoing.writeHead(503, { "Content-Type": "application/problem+json", "Retry-After": "1" });
          outgoing.end(JSON.stringify({ type: "/problems/unavailable", title: "Unavailable", status: 503 }));
          return;
        }
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
        if (String(answer.headers["content-type"]).startsWith("text/event-stream")) {
          this.streamsOpened++;
          if (this.cutStreamsAfterMs !== null) {
            setTimeout(() => {
              answer.destroy();
              outgoing.socket?.destroy();
            }, this.cutStreamsAfterMs);
          }
        }
      },
    );
    upstream.on("error", () => outgoing.destroy());
    incoming.pipe(upstream);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
