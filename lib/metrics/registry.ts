import { Registry } from "prom-client";

// One registry per process, kept on globalThis so Next's dev reloads do not
// register the same metric twice.
const holder = globalThis as typeof globalThis & { __acceptedMetrics?: Registry };

export function metricsRegistry(): Registry {
  holder.__acceptedMetrics ??= new Registry();
  return holder.__acceptedMetrics;
}
