import { z } from "zod";
import { declareJobType } from "../../define";

/**
 * For tests only (offered when ACCEPTED_TEST_JOB_TYPES=1): logs `lines`
 * lines of `size` characters each (`everyMs` apart), so that the log's caps per attempt are
 * seen to hold.
 */
export const testChatty = declareJobType({
  type: "test.chatty",
  title: "Test: log a lot",
  description: "Logs as many lines of as many characters as asked; the job log tests check its caps.",
  input: z.strictObject({
    lines: z.int().min(0).max(10_000),
    size: z.int().min(1).max(10_000).default(20),
    // A pause between lines, for lines that come as a real job's do.
    everyMs: z.int().min(0).max(10_000).default(0),
  }),
  result: "none",
  maxAttempts: 1,
  timeoutMs: 60_000,
});
