import pino from "pino";
import { readConfig } from "./config";

/** The process-wide logger; tasks and requests take children of it. */
export const logger = pino({
  level: readConfig().LOG_LEVEL,
  base: { pid: process.pid },
});

export type Logger = pino.Logger;
