import { z } from "zod";
import { declareJobType } from "../define";
import { adminJobFilters, jobFilters } from "../filters";

/** The filter as the list's query parameters took it, so a bulk action can name "everything matching". */
const adminFilterParams = z.strictObject({
  ...adminJobFilters.shape,
  // Validated as the list takes it, but kept as written ("failed,cancelled").
  state: z
    .string()
    .max(200)
    .refine((value) => jobFilters.shape.state.safeParse(value).success, { message: "Not a list of job states." })
    .optional(),
});

const bulkActionFields = {
  action: z.enum(["retry", "cancel"]),
  jobIds: z.array(z.uuid()).min(1).max(1000).optional(),
  filter: adminFilterParams.optional(),
};
const eitherIdsOrFilter = [
  (body: { jobIds?: unknown; filter?: unknown }) => (body.jobIds === undefined) !== (body.filter === undefined),
  { message: "Name either jobIds or filter, not both and not neither." },
] as const;

export const bulkActionRequest = z.strictObject(bulkActionFields).refine(...eitherIdsOrFilter);

/** A bulk action as its job's input: the request, and the admin who made it (set by the route, never a client). */
export const bulkActionInput = z
  .strictObject({
    ...bulkActionFields,
    actor: z.strictObject({ id: z.string(), email: z.string(), address: z.string().optional() }),
  })
  .refine(...eitherIdsOrFilter);
export type BulkActionRequest = z.infer<typeof bulkActionRequest>;

/**
 * An admin's bulk retry or cancel, run as a job of its own so that acting on
 * thousands of jobs reports progress instead of holding a request open.
 */
export const adminBulk = declareJobType({
  type: "admin.bulk",
  title: "Bulk action",
  description: "Retries or cancels many jobs at once, for an admin.",
  input: bulkActionInput,
  result: "json",
  maxAttempts: 1,
  timeoutMs: 30 * 60_000,
  internal: true,
});
