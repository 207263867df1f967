import { setTimeout as sleep } from "node:timers/promises";
import { testChatty } from "@/lib/jobs/types/testing/chatty";
import { defineHandler } from "../../handler";

/** Logs line after line (each numbered, padded to `size`), then ends. */
export default defineHandler(testChatty, async ({ input, logger, progress, signal }) => {
  for (let index = 1; index <= input.lines; index++) {
    if (input.everyMs > 0) await sleep(input.everyMs, undefined, { signal });
    logger.info({ index }, `line ${index} `.padEnd(input.size, "."));
  }
  progress(100, `Logged ${input.lines} lines`);
  return { kind: "none" };
});
