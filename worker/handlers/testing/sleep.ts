import { setTimeout as sleep } from "node:timers/promises";
import { testSleep } from "@/lib/jobs/types/testing/sleep";
import { defineHandler } from "../../handler";

/** Sleeps; with `ignoreSignal`, through an abort too, as a handler that never looks at its signal would. */
export default defineHandler(testSleep, async ({ input, signal, logger }) => {
  logger.info({ ms: input.ms, ignoreSignal: input.ignoreSignal }, `Sleeping ${input.ms} ms`);
  await sleep(input.ms, undefined, input.ignoreSignal ? {} : { signal });
  logger.info("Awake");
  return { kind: "none" };
});
