import { z } from "zod";
import { declareJobType } from "../define";
import { bulkActionRequest } from "../schemas";

/**
 * An admin's bulk retry or cancel, run as a job of its own so that acting on
 * thousands of jobs reports progress instead of holding a request open.
 */
export const adminBulk = declareJobType({
  type: "admin.bulk",
  title: "Bulk action",
  description: "Retries or cancels many jobs at once, for an admin.",
  input: bulkActionRequest.and(
    z.object({
      // Set by the admin route, never by a client: internal types cannot be submitted.
      actor: z.object({ id: z.string(), email: z.string() }),
    }),
  ),
  result: "json",
  maxAttempts: 1,
  internal: true,
});
