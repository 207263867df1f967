/**
 * Runs once when a Next.js server starts, before it serves a request: make
 * sure the database exists (starting embedded PostgreSQL when DATABASE_URL is
 * unset) and is migrated.
 */
export async function register() {
  // Next's own switch between its runtimes, not our configuration (lib/config.ts): the Node.js one only.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { prepareDatabase } = await import("./lib/db");
    const { ensureFirstAdmin } = await import("./lib/auth/first-admin");
    try {
      await prepareDatabase();
      await ensureFirstAdmin();
    } catch (error) {
      // Next would log this and go on serving 500s for ever, its database never prepared: exit instead,
      // non-zero, the cue for a supervisor (`npm start`, systemd…) to start it again, with backoff.
      const { logger } = await import("./lib/logger");
      logger.fatal({ err: error }, "cannot prepare the database; the web server stops");
      process.exit(1);
    }

    // Next drains in-flight requests on SIGTERM/SIGINT; SSE streams and long
    // polls never finish by themselves, so end them when the signal comes.
    const { jobFeed } = await import("./lib/change-feed/job-feed");
    const { logFeed } = await import("./lib/change-feed/log-feed");
    const { startDraining } = await import("./lib/draining");
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.once(signal, () => {
        startDraining();
        jobFeed().shutdown();
        logFeed().shutdown();
      });
    }
  }
}
