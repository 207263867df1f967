import { z } from "zod";
import { jobStates } from "@/db/job-states";
import { declareJobType } from "../define";

/** Exports the owner's job history, filtered, to a CSV file. */
export const jobsExport = declareJobType({
  type: "jobs.export",
  title: "Export job history",
  description: "Writes your job history, optionally filtered by state and type, to a CSV file to download.",
  input: z.strictObject({
    state: z
      .enum(jobStates)
      .optional()
      .meta({ title: "State", description: "Only jobs in this state; all states when left empty." }),
    type: z
      .string()
      .max(100)
      .optional()
      .meta({ title: "Job type", description: "Only jobs of this type, e.g. demo.steps." }),
  }),
  result: "file",
  maxAttempts: 3,
  timeoutMs: 10 * 60_000,
});
