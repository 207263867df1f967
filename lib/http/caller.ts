import type { OwnerScope } from "@/lib/jobs/queries";

/**
 * Whose jobs this request may see. Everyone is the same anonymous owner
 * until users and sessions exist; routes already ask, so that is one change.
 */
export function callerScope(_request: Request): OwnerScope {
  return { ownerId: null };
}

/** Who is acting, as recorded on what they do (a cancel, say). */
export function callerName(_request: Request): string {
  return "anonymous";
}
