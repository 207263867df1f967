import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Arrivals } from "./arrivals";

/** One request a receiver got. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The parsed body: Standard Webhooks' { type, timestamp, data }. */
  message: { type: string; timestamp: string; data: Record<string, unknown> };
}

/** What the receiver answers a request with: a status, and optionally headers. */
export type Answer = { status: number; headers?: Record<string, string>; body?: string };

/**
 * A real HTTP server on this machine that webhooks are sent to: it keeps
 * every request and answers as the test says (200 unless told otherwise).
 */
export class WebhookReceiver {
  readonly arrivals = new Arrivals<Received>();
  private answers: Answer[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on("request", (request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        let message: Received["message"];
        try {
          message = JSON.parse(body);
        } catch {
          message = { type: "(not JSON)", timestamp: "", data: {} };
        }
        receiver.arrivals.push({ path: request.url ?? "/", headers: request.headers, body, message });
        const answer = receiver.answers.shift() ?? { status: 200 };
        response.writeHead(answer.status, answer.headers).end(answer.body ?? "ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return receiver;
  }

  /** The receiver's URL, at `path`. */
  url(path = "/hook"): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The next requests are answered with these, in order; then 200s again. */
  answerNext(...answers: Answer[]): void {
    this.answers.push(...answers);
  }

  /** Waits until `predicate` holds for what has been received (a webhook may take a few retries). */
  waitFor(predicate: (received: Received[]) => boolean, timeoutMs = 30_000): Promise<void> {
    return this.arrivals.waitFor(predicate, timeoutMs, () => null);
  }

  /** Everything received so far that is about `jobId`. */
  forJob(jobId: string): Received[] {
    return this.arrivals.items.filter((received) => received.message.data?.id === jobId);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
