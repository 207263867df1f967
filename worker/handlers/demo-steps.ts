import { setTimeout as sleep } from "node:timers/promises";
import { demoSteps } from "@/lib/jobs/types/demo-steps";
import { defineHandler } from "../handler";

/** Sleeps through N steps, reporting each; fails at a step when told to. */
export default defineHandler(demoSteps, async ({ input, attempt, progress, signal }) => {
  const failsThisTime = input.failingAttempts === undefined || attempt <= input.failingAttempts;
  const startedAt = Date.now();
  for (let step = 1; step <= input.steps; step++) {
    await sleep(input.stepMs, undefined, { signal });
    if (step === input.failAtStep && failsThisTime) {
      throw new Error(`Step ${step} of ${input.steps} failed (failAtStep was ${input.failAtStep})`);
    }
    progress((step / input.steps) * 100, `Step ${step} of ${input.steps}`);
  }
  return { kind: "json", value: { steps: input.steps, durationMs: Date.now() - startedAt } };
});
