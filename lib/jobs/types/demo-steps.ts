import { z } from "zod";
import { declareJobType } from "../define";

const input = z
  .strictObject({
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

/** The demo: sleeps through N steps, reporting each, so a newcomer sees the bar move. Can be told to fail. */
export const demoSteps = declareJobType({
  type: "demo.steps",
  title: "Demo: steps",
  description: "Works through a number of timed steps, reporting progress after each. Can be told to fail.",
  input,
  result: "json",
  maxAttempts: 3,
  timeoutMs: 20 * 60_000,
});
