/**
 * A queue that lets at most `concurrency` key derivations run at once. Why: 50 logins at once would
 * otherwise hold 50 × 19 MiB (a Worker's limit is 128 MiB), take every libuv thread from file and DNS
 * work, and, on the main thread, run 50 time slices back to back between two turns of the event loop.
 *
 * @module
 */

/** Runs `task` when fewer than `concurrency` tasks are running; tasks start in arrival order. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export interface LimiterOptions {
  /**
   * Start every task on a new turn of the event loop (a `setTimeout(0)`), so that timers and I/O run
   * between two tasks on the main thread: without it, one task's end starts the next in the same turn,
   * and many short derivations add up to one long stall.
   */
  readonly turnBetweenTasks?: boolean;
}

export function createLimiter(concurrency: number, options: LimiterOptions = {}): Limiter {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    // A finished task hands its slot straight to the next in line (`running` stays), so a call arriving in
    // between never finds a slot free out of turn.
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      if (options.turnBetweenTasks === true) await new Promise((resolve) => setTimeout(resolve, 0));
      return await task();
    } finally {
      const next = waiting.shift();
      if (next === undefined) running--;
      else next();
    }
  };
}
