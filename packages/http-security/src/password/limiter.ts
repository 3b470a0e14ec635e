/**
 * @module
 * A queue that lets at most `concurrency` key derivations run at once. Why: 50 logins at once would
 * otherwise hold 50 × 19 MiB (a Worker's limit is 128 MiB), take every libuv thread from file and DNS
 * work, and, on the main thread, run 50 time slices back to back between two turns of the event loop.
 */

/** Runs `task` when fewer than `concurrency` tasks are running; tasks start in arrival order. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(concurrency: number): Limiter {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
