import pino from "pino";
import { config } from "./config";

/** The process-wide logger; tasks and requests take children of it. */
export const logger = pino({
  level: config().LOG_LEVEL,
  base: { pid: process.pid },
});

export type Logger = pino.Logger;
