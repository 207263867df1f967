/** What a test client has received so far (events, messages), and a way to wait for what it expects. */
export class Arrivals<T> {
  readonly items: T[] = [];
  private waiters: (() => void)[] = [];

  push(item: T) {
    this.items.push(item);
    this.wake();
  }

  /** Wakes the waiters to look again (something arrived, or the connection ended). */
  wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Waits until `predicate` holds for the items so far; throws if `ended()`
   * says why nothing more will come first, or after `timeoutMs`.
   */
  async waitFor(predicate: (items: T[]) => boolean, timeoutMs: number, ended: () => string | null): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.items)) {
      const reason = ended();
      if (reason) throw new Error(`${reason} before the expected items arrived`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out; received ${this.items.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
