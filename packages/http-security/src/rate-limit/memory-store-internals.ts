import type { RateLimitDecision, RateLimitPolicy } from "./store.ts";

/**
 * The limiter's way into a memory store: its name as a namespace beside the key, rather than
 * prefixed to it (a new string per decision, hashed again on every lookup).
 */
export const memoryStoreInternals: WeakMap<
  object,
  {
    consume(space: string, key: string, policy: RateLimitPolicy, cost: number): RateLimitDecision;
    reset(space: string, key: string): void;
  }
> = /* @__PURE__ */ new WeakMap();
