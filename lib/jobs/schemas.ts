import { z } from "zod";
import { jobStates } from "@/db/schema";

/** The HTTP API's request shapes, in one place. */

export const jobIdParams = z.object({ id: z.uuid() });

export const submitJobRequest = z.object({
  type: z.string().min(1).max(100),
  input: z.record(z.string(), z.unknown()).default({}),
});

export const listCursor = z.object({ createdAt: z.iso.datetime(), id: z.uuid() });
export type ListCursor = z.infer<typeof listCursor>;

export const jobFilters = z.object({
  // ?state=queued,running
  state: z
    .string()
    .transform((value) => value.split(",").filter(Boolean))
    .pipe(z.array(z.enum(jobStates)).min(1).max(jobStates.length))
    .optional(),
  type: z.string().min(1).max(100).optional(),
});
export type JobFilters = z.infer<typeof jobFilters>;

export const listJobsQuery = jobFilters.extend({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .max(200)
    .transform((value, ctx) => {
      try {
        return listCursor.parse(JSON.parse(Buffer.from(value, "base64url").toString("utf8")));
      } catch {
        ctx.addIssue({ code: "custom", message: "Not a cursor this API issued." });
        return z.NEVER;
      }
    })
    .optional(),
});

export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}
