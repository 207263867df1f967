import type { Logger } from "./logger";

/**
 * A rejection nobody handled is a bug (every query path handles a lost
 * connection: see db/outages.ts): it is logged with its stack, then the
 * process exits non-zero as Node would, so its supervisor restarts it.
 * Logged through our logger first, so the reason is in the log and not
 * only on a stderr nobody reads.
 */
export function exitOnUnhandledRejection(logger: Logger) {
  process.on("unhandledRejection", (reason) => {
    logger.fatal({ err: reason }, "unhandled rejection: a bug; exiting so a supervisor restarts this process");
    process.exit(1);
  });
}
