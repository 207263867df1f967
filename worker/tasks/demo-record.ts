import { z } from "zod";
import { demoEffects } from "@/db/schema";
import { defineJobType } from "@/lib/jobs/define";

/**
 * Records one side effect per run, deliberately not idempotent, so that
 * counting the rows proves how many times jobs really ran.
 */
export default defineJobType({
  type: "demo.record",
  title: "Demo: record an effect",
  description: "Writes one row to demo_effects each time it runs; the load tests count them to prove exactly-once.",
  input: z.object({}),
  result: "json",
  maxAttempts: 3,
  async run({ jobId, attempt, db, progress }) {
    await db.insert(demoEffects).values({ jobId, attempt });
    progress(100, "Effect recorded");
    return { kind: "json", value: { recorded: true } };
  },
});
