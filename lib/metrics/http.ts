import { Histogram } from "prom-client";
import { metricsRegistry } from "./registry";

const holder = globalThis as typeof globalThis & { __acceptedHttpHistogram?: Histogram<"route" | "method" | "status"> };

function httpHistogram() {
  holder.__acceptedHttpHistogram ??= new Histogram({
    name: "accepted_http_request_duration_seconds",
    help: "API request latency in this web process, by route pattern, method and status (SSE: time to open the stream).",
    labelNames: ["route", "method", "status"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
    registers: [metricsRegistry()],
  });
  return holder.__acceptedHttpHistogram;
}

export function observeHttpRequest(route: string, method: string, status: number, durationMs: number): void {
  httpHistogram().observe({ route, method, status: String(status) }, durationMs / 1000);
}
