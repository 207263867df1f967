import { system } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";
import { registerJobMetrics } from "@/lib/metrics/jobs";
import { metricsRegistry } from "@/lib/metrics/registry";

export const dynamic = "force-dynamic";

/**
 * Prometheus metrics: jobs by state and type, queue depth and age, job
 * durations, live workers, and this process's HTTP latencies. For admins:
 * a scraper sends an admin's API token as a Bearer token.
 */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(system.metrics, async () => {
    registerJobMetrics();
    const registry = metricsRegistry();
    return new Response(await registry.metrics(), {
      headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" },
    });
  }),
);
