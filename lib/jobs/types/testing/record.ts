import { z } from "zod";
import { declareJobType } from "@/lib/jobs/define";

/**
 * For tests and benchmarks only (offered when ACCEPTED_TEST_JOB_TYPES=1):
 * records one side effect per run, deliberately not idempotent, so that
 * counting them proves how many times jobs really ran.
 */
export const testRecord = declareJobType({
  type: "test.record",
  title: "Test: record an effect",
  description: "Writes one row to test_effects each time it runs; the load tests count them to prove exactly-once.",
  input: z.strictObject({}),
  result: "json",
  maxAttempts: 3,
  timeoutMs: 60_000,
});
