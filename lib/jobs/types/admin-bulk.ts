import { declareJobType } from "../define";
import { bulkActionInput } from "../schemas";

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
  internal: true,
});
