import { z } from "zod";
import { declareJobType } from "../../define";

/**
 * For tests only (offered when ACCEPTED_TEST_JOB_TYPES=1): sleeps `ms`,
 * stopping when its signal aborts, or (`ignoreSignal`) not, so that a time
 * limit is seen to hold either way. Its own limit is short.
 */
export const testSleep = declareJobType({
  type: "test.sleep",
  title: "Test: sleep",
  description: "Sleeps as long as asked; the time limit tests run it past its limit.",
  input: z.strictObject({ ms: z.int().min(0).max(600_000), ignoreSignal: z.boolean().default(false) }),
  result: "none",
  maxAttempts: 2,
  timeoutMs: 1_500,
});
