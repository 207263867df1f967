import { setTimeout as sleep } from "node:timers/promises";
import { demoSteps } from "@/lib/jobs/types/demo-steps";
import { defineHandler } from "../handler";

/** Sleeps through N steps, reporting each; fails at a step when told to. */
export default defineHandler(demoSteps, async ({ input, attempt, progress, signal, logger }) => {
  const failsThisTime = input.failingAttempts === undefined || attempt <= input.failingAttempts;
  const startedAt = Date.now();
  const steps = `${input.steps} step${input.steps === 1 ? "" : "s"}`;
  logger.info({ steps: input.steps, stepMs: input.stepMs }, `Running ${steps} of ${input.stepMs} ms`);
  for (let step = 1; step <= input.steps; step++) {
    await sleep(input.stepMs, undefined, { signal });
    if (step === input.failAtStep && failsThisTime) {
      logger.error({ step, failAtStep: input.failAtStep }, `Step ${step} failed, as failAtStep asked`);
      throw new Error(`Step ${step} of ${input.steps} failed (failAtStep was ${input.failAtStep})`);
    }
    logger.debug({ step }, `Step ${step} of ${input.steps} done`);
    progress((step / input.steps) * 100, `Step ${step} of ${input.steps}`);
  }
  const durationMs = Date.now() - startedAt;
  logger.info({ durationMs }, `${input.steps === 1 ? "The one step" : `All ${steps}`} done in ${durationMs} ms`);
  return { kind: "json", value: { steps: input.steps, durationMs } };
});
