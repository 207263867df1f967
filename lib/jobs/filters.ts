import { z } from "zod";
import { jobStates } from "@/db/job-states";

/** Which jobs a list, a search or a bulk action means, and where a page of them ends. */

/**
 * An ISO 8601 time PostgreSQL can store. The format allows years 0000 to
 * 9999; PostgreSQL has no year 0 (JavaScript's year 0 is 1 BC).
 */
export const storableTime = (time: z.ZodISODateTime) =>
  time.refine((value) => new Date(value).getUTCFullYear() >= 1, { message: "Years start at 0001." });

export const listCursor = z.object({ createdAt: storableTime(z.iso.datetime()), id: z.uuid() });
export type ListCursor = z.infer<typeof listCursor>;

export const jobFilters = z.object({
  // ?state=queued,running
  state: z
    .string()
    .transform((value) => value.split(",").filter(Boolean))
    .pipe(z.array(z.enum(jobStates)).min(1).max(jobStates.length))
    .optional(),
  type: z.string().min(1).max(100).optional(),
  batch: z
    .union([z.literal("none"), z.uuid()])
    .optional()
    .meta({ description: "A batch's id: only its jobs; `none`: only jobs submitted alone." }),
  schedule: z.uuid().optional().meta({ description: "A schedule's id: only the jobs its firings made." }),
});
export type JobFilters = z.infer<typeof jobFilters>;

/** The admin console's filters: the list's, plus owner, time range and a search inside input and error JSON. */
export const adminJobFilters = jobFilters.extend({
  owner: z.string().trim().min(1).max(320).optional().meta({ description: "A user's email or id." }),
  from: storableTime(z.iso.datetime({ offset: true }))
    .optional()
    .meta({ description: "Created at or after." }),
  to: storableTime(z.iso.datetime({ offset: true }))
    .optional()
    .meta({ description: "Created before." }),
  q: z.string().trim().min(1).max(200).optional().meta({ description: "Words to find in the input or error JSON." }),
});
export type AdminJobFilters = z.infer<typeof adminJobFilters>;

export const adminSorts = ["created-desc", "created-asc", "updated-desc"] as const;
export type AdminSort = (typeof adminSorts)[number];

export const adminCursor = z.object({ at: storableTime(z.iso.datetime()), id: z.uuid() });
export type AdminCursor = z.infer<typeof adminCursor>;
