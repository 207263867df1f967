import { TooManyInProgress } from "@/lib/errors";

/**
 * How many uploads one user may have in progress at once in this process.
 * An upload holds up to a megabyte and is parsed as it arrives: a user
 * sending sixteen at a time would have this process spend itself on them
 * before the rate limit (a count per minute) had a say. Past it, 429 at once,
 * before the body is read.
 */
export const MAX_UPLOADS_IN_PROGRESS = 2;

const inProgress = new Map<string, number>();

/** Counts an upload of `userId` in progress, or throws TooManyInProgress; returns its release. */
export function claimUploadSlot(userId: string): () => void {
  const count = inProgress.get(userId) ?? 0;
  if (count >= MAX_UPLOADS_IN_PROGRESS) {
    throw new TooManyInProgress("uploads", MAX_UPLOADS_IN_PROGRESS);
  }
  inProgress.set(userId, count + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (inProgress.get(userId) ?? 1) - 1;
    if (left > 0) inProgress.set(userId, left);
    else inProgress.delete(userId);
  };
}
