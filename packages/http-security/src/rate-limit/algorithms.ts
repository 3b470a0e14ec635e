/**
 * The reference implementation of the two algorithms of `rate-limit-store.ts` (read its module
 * documentation for the rules, step by step). Pure, exact integer arithmetic on the store's clock; the state
 * is updated in place, so a caller keeps one object per key and allocates nothing else but the decision.
 */
import type { RateLimitDecision, RateLimitPolicy } from "./store.ts";

/** The largest `limit * windowMs` (2^50): every product of the algorithms stays exact in a double (JS, Lua). */
export const MAX_POLICY_PRODUCT: number = 2 ** 50;

/** `"sliding-window"` state: the window index and the counts of that window and the one before. */
export interface SlidingWindowState {
  window: number;
  previous: number;
  current: number;
}

/** `"token-bucket"` (GCRA) state: the time of the last update, and the TAT's lead over it times `limit`. */
export interface TokenBucketState {
  at: number;
  debt: number;
}

/** Steps 1 to 7 of `"sliding-window"`; `state` is rolled and (when allowed) counted in place. */
export function slidingWindow(
  state: SlidingWindowState,
  limit: number,
  windowMs: number,
  cost: number,
  now: number,
): RateLimitDecision {
  let w = Math.floor(now / windowMs);
  let e = now - w * windowMs;
  if (state.window > w) {
    // The clock stepped back (a failover, an NTP step): stay in the newest window seen, at its start.
    w = state.window;
    e = 0;
  } else if (state.window !== w) {
    state.previous = state.window === w - 1 ? state.current : 0;
    state.current = 0;
    state.window = w;
  }
  const { previous } = state;
  let { current } = state;
  const ceiling = limit * windowMs;
  let scaled = previous * (windowMs - e) + current * windowMs;
  const allowed = scaled + cost * windowMs <= ceiling;
  let retryAfterMs = 0;
  if (allowed) {
    current += cost;
    state.current = current;
    scaled += cost * windowMs;
  } else {
    retryAfterMs = slidingRetryAfter(previous, current, limit, windowMs, cost, e);
  }
  const remaining = scaled >= ceiling ? 0 : Math.floor((ceiling - scaled) / windowMs);
  const resetMs = current > 0 ? 2 * windowMs - e : previous > 0 ? windowMs - e : 0;
  return { allowed, limit, remaining, resetMs, retryAfterMs };
}

function slidingRetryAfter(
  previous: number,
  current: number,
  limit: number,
  windowMs: number,
  cost: number,
  e: number,
): number {
  const left = windowMs - e;
  if (current + cost <= limit && previous > 0) {
    const d = left - Math.floor(((limit - cost - current) * windowMs) / previous);
    if (d < left) return d;
  }
  return (
    left + (current === 0 ? 0 : Math.max(0, windowMs - Math.floor(((limit - cost) * windowMs) / current)))
  );
}

/** Steps 1 to 6 of `"token-bucket"` (GCRA); `state` is re-based to `now` and (when allowed) charged in place. */
export function tokenBucket(
  state: TokenBucketState,
  limit: number,
  windowMs: number,
  cost: number,
  now: number,
): RateLimitDecision {
  // A clock that stepped back (now < at) counts as no time passed: it neither refills nor charges.
  const at = Math.max(now, state.at);
  const debt0 = Math.max(0, state.debt - (at - state.at) * limit);
  const debtNew = debt0 + cost * windowMs;
  const ceiling = limit * windowMs;
  const allowed = debtNew <= ceiling;
  const debt = allowed ? debtNew : debt0;
  state.at = at;
  state.debt = debt;
  return {
    allowed,
    limit,
    remaining: Math.floor((ceiling - debt) / windowMs),
    resetMs: Math.ceil(debt / limit),
    retryAfterMs: allowed ? 0 : Math.ceil((debtNew - ceiling) / limit),
  };
}

/** Both algorithms' state in one object: what the memory store and the Durable Object keep per policy. */
export interface PolicyState extends SlidingWindowState, TokenBucketState {}

/** Runs `algorithm` on `state` in place (the state a store keeps for that one policy of a key). */
export function runAlgorithm(
  algorithm: RateLimitPolicy["algorithm"],
  state: PolicyState,
  limit: number,
  windowMs: number,
  cost: number,
  now: number,
): RateLimitDecision {
  return algorithm === "sliding-window"
    ? slidingWindow(state, limit, windowMs, cost, now)
    : tokenBucket(state, limit, windowMs, cost, now);
}

/** The policy and cost rules of the store contract, checked by every store and the limiter. */
export function policyProblem(policy: RateLimitPolicy, cost: number): string | undefined {
  const { algorithm, limit, windowMs } = policy;
  if (algorithm !== "sliding-window" && algorithm !== "token-bucket") {
    return 'algorithm must be "sliding-window" or "token-bucket"';
  }
  if (!Number.isSafeInteger(limit) || limit < 1) return "limit must be a whole number >= 1";
  if (!Number.isSafeInteger(windowMs) || windowMs < 1) return "windowMs must be a whole number >= 1";
  if (limit * windowMs > MAX_POLICY_PRODUCT) return "limit * windowMs must be at most 2^50";
  if (!Number.isSafeInteger(cost) || cost < 1 || cost > limit) {
    return "cost must be a whole number from 1 to the limit";
  }
  return undefined;
}
