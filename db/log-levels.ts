/** A job log line's levels, least to most severe: the schema's enum, shared with the server and the browser (this file imports nothing). */
export const logLevels = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof logLevels)[number];
