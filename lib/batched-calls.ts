/**
 * Group commit for calls: a call made while none is running runs at once,
 * alone; calls made while one is running wait for it and then run together
 * (at most `maxSize` at a time) as one call of `run`, which answers each
 * input in order. A lone call waits for nothing, and calls that pile up
 * while the database is busy cost one statement. How the worker writes the
 * starts and completions of jobs that run side by side. If a batch fails,
 * each of its inputs is tried alone, so one bad input fails only its call.
 */
export function batchedCalls<In, Out>(
  run: (inputs: In[]) => Promise<Out[]>,
  { maxSize }: { maxSize: number },
): (input: In) => Promise<Out> {
  type Pending = { input: In; resolve: (output: Out) => void; reject: (error: unknown) => void };
  let pending: Pending[] = [];
  let running = false;

  const settle = async (batch: Pending[]): Promise<void> => {
    try {
      const outputs = await run(batch.map((call) => call.input));
      for (const [index, call] of batch.entries()) call.resolve(outputs[index] as Out);
    } catch (error) {
      if (batch.length === 1) batch[0]?.reject(error);
      else for (const call of batch) await settle([call]);
    }
  };

  const drain = async () => {
    running = true;
    while (pending.length > 0) {
      const batch = pending.slice(0, maxSize);
      pending = pending.slice(batch.length);
      await settle(batch);
    }
    running = false;
  };

  return (input) =>
    new Promise<Out>((resolve, reject) => {
      pending.push({ input, resolve, reject });
      if (!running) void drain();
    });
}
