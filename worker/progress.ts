export interface ProgressUpdate {
  percent: number;
  message?: string;
}

/**
 * Throttles a handler's progress calls to one write per `intervalMs`: the
 * first call writes at once (or, with `quietUntil`, not before then), later
 * ones within the interval collapse into a single trailing write of the
 * latest value. Writes never overlap, so they land in order.
 */
export function throttleProgress(
  write: (update: ProgressUpdate) => Promise<void>,
  intervalMs: number,
  onError: (error: unknown) => void,
  quietUntil = Number.NEGATIVE_INFINITY,
) {
  let latest: ProgressUpdate | null = null;
  let timer: NodeJS.Timeout | undefined;
  let lastWriteAt = quietUntil - intervalMs;
  let writing: Promise<void> = Promise.resolve();

  function flush() {
    timer = undefined;
    const update = latest;
    latest = null;
    if (!update) return;
    lastWriteAt = Date.now();
    writing = writing.then(() => write(update)).catch(onError);
  }

  return {
    report(update: ProgressUpdate) {
      latest = update;
      if (timer) return;
      timer = setTimeout(flush, Math.max(0, lastWriteAt + intervalMs - Date.now()));
    },
    /**
     * Stops writing: waits for the write under way and returns the update not
     * yet written, if any, for the final transition to record in its place.
     */
    async close(): Promise<ProgressUpdate | null> {
      clearTimeout(timer);
      timer = undefined;
      const unwritten = latest;
      latest = null;
      await writing;
      return unwritten;
    },
  };
}
