import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createApiUser } from "@/e2e/support/api-user";
import { Arrivals } from "@/e2e/support/arrivals";
import { isolatedDatabase } from "@/e2e/support/isolated";
import { WebhookReceiver } from "@/e2e/support/webhook-receiver";
import { freePort, type Stack, startStack } from "@/scripts/stack";
import { expect, type JobStatus, test } from "../support/fixtures";

/** A span as OTLP/HTTP's JSON encoding sends it (ids as hex). */
interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  service: string;
}

/** A real OTLP/HTTP receiver (the JSON protocol): every span exported to it, with its service's name. */
class OtlpReceiver {
  readonly spans = new Arrivals<ReceivedSpan>();
  private constructor(private readonly server: Server) {}

  static async start(): Promise<OtlpReceiver> {
    const server = createServer();
    const receiver = new OtlpReceiver(server);
    server.on("request", (request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        if (request.url === "/v1/traces") {
          const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          for (const resourceSpans of body.resourceSpans ?? []) {
            const service = resourceSpans.resource?.attributes?.find(
              (attribute: { key: string }) => attribute.key === "service.name",
            )?.value?.stringValue;
            for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
              for (const span of scopeSpans.spans ?? []) receiver.spans.push({ ...span, service });
            }
          }
        }
        response.writeHead(200, { "Content-Type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close() {
    this.server.close();
  }
}

let otlp: OtlpReceiver;
let hooks: WebhookReceiver;
let stack: Stack;
let database: Awaited<ReturnType<typeof isolatedDatabase>>;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ sql }) => {
  test.setTimeout(120_000);
  otlp = await OtlpReceiver.start();
  hooks = await WebhookReceiver.start();
  // A stack of its own, on a database of its own: only its worker runs these jobs, and it exports traces.
  database = await isolatedDatabase(sql, "traces");
  stack = await startStack({
    mode: "production",
    port: await freePort(),
    databaseUrl: database.url,
    output: createWriteStream("test-results/traces-stack.log"),
    env: {
      ACCEPTED_TEST_JOB_TYPES: "1",
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_BSP_SCHEDULE_DELAY: "200",
    },
  });
});

test.afterAll(async () => {
  await stack?.stop();
  await database?.drop();
  otlp?.close();
  await hooks?.stop();
});

test("a submit's traceparent is continued: the web's span, the attempt's (its child) and the webhook delivery share its trace", async () => {
  const owner = await createApiUser(stack.baseUrl, "traced");
  const headers = { ...owner.headers, "Content-Type": "application/json" };
  const endpoint = await fetch(`${stack.baseUrl}/api/webhooks`, {
    method: "POST",
    headers,
    body: JSON.stringify({ url: hooks.url("/traced"), events: ["job.succeeded"] }),
  });
  expect(endpoint.status, await endpoint.text()).toBe(201);

  const traceId = randomBytes(16).toString("hex");
  const callerSpanId = randomBytes(8).toString("hex");
  const submitted = await fetch(`${stack.baseUrl}/api/jobs`, {
    method: "POST",
    headers: { ...headers, traceparent: `00-${traceId}-${callerSpanId}-01` },
    body: JSON.stringify({ type: "demo.steps", input: { steps: 2, stepMs: 300 } }),
  });
  expect(submitted.status).toBe(202);
  const job = (await submitted.json()) as JobStatus;
  expect(job.traceId).toBe(traceId);

  // The receiver's own trace joins: the delivery carries the trace on.
  const succeeded = (arrival: (typeof hooks.arrivals.items)[number]) => arrival.message.type === "job.succeeded";
  await hooks.arrivals.waitFor(
    (arrivals) => arrivals.some(succeeded),
    30_000,
    () => null,
  );
  const delivery = hooks.arrivals.items.find(succeeded);
  expect(String(delivery?.headers.traceparent)).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));

  const inTrace = () => otlp.spans.items.filter((span) => span.traceId === traceId);
  await otlp.spans.waitFor(
    () =>
      inTrace().some((span) => span.name === "job demo.steps") &&
      inTrace().some((span) => span.name === "webhook job.succeeded"),
    30_000,
    () => null,
  );
  const spans = inTrace();
  // The web's span for the submit, a child of the caller's (Next.js's own spans for the route are under it).
  const request = spans.find((span) => span.parentSpanId === callerSpanId);
  expect(request).toMatchObject({ name: "POST /api/jobs", service: "accepted-web", kind: 2 });
  // The attempt: the worker's, a child of a span of the submitting request.
  const webSpanIds = new Set(spans.filter((span) => span.service === "accepted-web").map((span) => span.spanId));
  const attempt = spans.find((span) => span.name === "job demo.steps");
  expect(attempt?.service).toBe("accepted-worker");
  expect(webSpanIds.has(attempt?.parentSpanId ?? "")).toBe(true);
  // Its database writes under it.
  const writes = spans.filter((span) => span.parentSpanId === attempt?.spanId && span.name.startsWith("db "));
  expect(writes.map((span) => span.name)).toContain("db complete");
  // The delivery, whose span id the receiver got.
  const webhook = spans.find((span) => span.name === "webhook job.succeeded");
  expect(String(delivery?.headers.traceparent)).toBe(`00-${traceId}-${webhook?.spanId}-01`);
});
