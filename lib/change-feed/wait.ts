/**
 * Resolves true as soon as `listen`'s listener is told so (or `already`,
 * asked once after listening, says it happened in between), false when
 * `timeoutMs` passes or `signal` aborts first: what a long poll waits on.
 * `listen` starts listening and returns how to stop, which runs once it is settled.
 */
export function waitUntilTold(
  listen: (tell: (happened: boolean) => void) => () => void,
  already: () => Promise<boolean>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<boolean> {
  return new Promise((resolve) => {
    let finished = false;
    let stop: (() => void) | null = null;
    const finish = (happened: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      stop?.();
      signal.removeEventListener("abort", onAbort);
      resolve(happened);
    };
    const onAbort = () => finish(false);
    const timer = setTimeout(() => finish(false), timeoutMs);
    stop = listen(finish);
    // Told while it was starting to listen: settled already, so stop now.
    if (finished) stop();
    signal.addEventListener("abort", onAbort);
    // Its client left before the wait began.
    if (signal.aborted) return finish(false);
    already().then(
      (happened) => {
        if (happened) finish(true);
      },
      // A read that failed (the connection went?): let the caller read again rather than wait blind.
      () => finish(true),
    );
  });
}
