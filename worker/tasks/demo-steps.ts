import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { defineJobType } from "@/lib/jobs/define";

const input = z
  .object({
    steps: z.int().min(1).max(100).default(10).meta({ title: "Steps", description: "How many steps the job takes." }),
    stepMs: z
      .int()
      .min(0)
      .max(10_000)
      .default(500)
      .meta({ title: "Step duration (ms)", description: "How long each step takes." }),
    failAtStep: z
      .int()
      .min(1)
      .max(100)
      .optional()
      .meta({ title: "Fail at step", description: "Attempts fail when they reach this step." }),
    failingAttempts: z.int().min(1).max(100).optional().meta({
      title: "Failing attempts",
      description: "How many attempts fail at that step; later ones succeed. All of them when left empty.",
    }),
  })
  .refine((value) => value.failAtStep === undefined || value.failAtStep <= value.steps, {
    message: "failAtStep must not be greater than steps",
    path: ["failAtStep"],
  });

/** Sleeps through N steps, reporting each; for demos and tests. */
export default defineJobType({
  type: "demo.steps",
  title: "Demo: steps",
  description: "Works through a number of timed steps, reporting progress after each. Can be told to fail.",
  input,
  result: "json",
  maxAttempts: 3,
  async run({ input, attempt, progress, signal }) {
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
  },
});
