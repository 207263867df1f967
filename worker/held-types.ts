import type { Database } from "@/db/client";
import { typesNotToStart } from "@/lib/jobs/type-controls";
import type { Logger } from "@/lib/logger";

/**
 * The job types this worker should not fetch now (paused, or at their
 * concurrency limit), for graphile-worker's forbiddenFlags: each job's flag
 * is its type. graphile-worker asks before every fetch, so the answer is
 * kept for `maxAgeMs` and refreshed by one query; a start that is held
 * (lib/jobs/lifecycle/start.ts) adds its type at once. Being a moment stale
 * costs a fetch that is held and requeued, never a wrong start.
 */
export function heldTypes(db: Database, logger: Logger, maxAgeMs = 500) {
  let types: string[] = [];
  let fetchedAt = 0;
  let refreshing: Promise<string[]> | null = null;

  const refresh = () => {
    refreshing ??= typesNotToStart(db)
      .then((fresh) => {
        types = fresh;
        fetchedAt = Date.now();
        return types;
      })
      .catch((error) => {
        logger.warn({ err: error }, "could not read the held job types; using the last known");
        return types;
      })
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  };

  // null, not [], when nothing is held: graphile-worker's local queue
  // (WORKER_LOCAL_QUEUE_SIZE) is bypassed whenever there are flags to skip.
  const orNull = (held: string[]) => (held.length > 0 ? held : null);
  return {
    /** graphile-worker's forbiddenFlags. */
    forbiddenFlags: (): string[] | null | Promise<string[] | null> =>
      Date.now() - fetchedAt < maxAgeMs ? orNull(types) : refresh().then(orNull),
    /** A start of this type was just held: skip it until the next refresh says otherwise. */
    hold(type: string) {
      if (!types.includes(type)) types = [...types, type];
    },
    /** A job of this type just finished here: if the type was held, a place may be free, so ask again. */
    released(type: string) {
      if (types.includes(type)) fetchedAt = 0;
    },
  };
}

export type HeldTypes = ReturnType<typeof heldTypes>;
