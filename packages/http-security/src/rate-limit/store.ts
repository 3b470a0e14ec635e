/**
 * The contract every rate-limit store implements (memory, Redis, Durable Object, ...), and the exact
 * semantics they share. A store owns the state and the clock; the pure functions in
 * `_internal/rate-limit-algorithms.ts` are the reference implementation (the memory store and the Durable
 * Object call them; the Redis Lua script mirrors them line for line).
 *
 * ## Shared rules
 * - `now` is the store's clock in whole milliseconds since the epoch (`Date.now()`; Redis: `TIME` as
 *   `seconds * 1000 + floor(microseconds / 1000)`). Every quantity below is an integer and every
 *   computation is exact integer arithmetic (products stay below 2^53 because a policy is limited to
 *   `limit * windowMs <= 2^50`, the most for which every product stays exact); there is no floating-point rounding to
 *   mirror. `floor(a / b)` and `ceil(a / b)` are on non-negative integers.
 * - `cost` is an integer with `1 <= cost <= policy.limit`; `policy.limit` and `policy.windowMs` are
 *   integers >= 1. The limiter validates them before any store sees them.
 * - A key is an opaque string: a store prefixes it (and hash-tags it for Redis Cluster) itself. The state of
 *   one key under the two algorithms is kept apart (a store may key it by `algorithm`, `limit` and
 *   `windowMs` too); `reset(key)` forgets it under every policy.
 * - A refused request changes no count (the state may be re-based to `now`, which changes no decision).
 * - A store keeps a key at least until `resetMs` after its last decision (the state's TTL): after that the
 *   absent state and the expired state decide the same.
 *
 * ## `"sliding-window"` (Cloudflare's approximation)
 * State: `{ window, previous, current }` (a window index and two counts); absent state is `{ w, 0, 0 }`.
 * With `W = windowMs`, `L = limit`:
 * 1. `w = floor(now / W)`, `e = now - w * W` (`now mod W`, `0 <= e < W`). If `state.window > w` (the clock
 *    stepped back), `w = state.window` and `e = 0` instead: a clock step never empties a window.
 * 2. Roll: if `state.window === w` keep the counts; if `state.window === w - 1` then
 *    `previous = state.current, current = 0`; otherwise `previous = 0, current = 0`. Set `window = w`.
 * 3. Scaled estimate (the estimate times `W`): `E = previous * (W - e) + current * W`
 *    (estimate = `previous * (W - e) / W + current`).
 * 4. `allowed = E + cost * W <= L * W`. If allowed, `current += cost` (and `E += cost * W`).
 * 5. `remaining = max(0, floor((L * W - E) / W))` with the `E` after step 4
 *    (= `max(0, floor(limit - estimate - (allowed ? cost : 0)))`).
 * 6. `resetMs` (until both windows are empty): `2 * W - e` if `current > 0`; else `W - e` if
 *    `previous > 0`; else `0`. This is also the state's TTL.
 * 7. `retryAfterMs` = 0 when allowed. When refused, the smallest whole `d >= 1` after which the estimate
 *    admits `cost` (with no other request in between):
 *    - in this window, possible when `current + cost <= L` (then `previous > 0`): with
 *      `need = L - cost - current`, `d = W - e - floor(need * W / previous)`; use it if `d < W - e`;
 *    - otherwise in the next window, where `previous' = current, current' = 0`: with `need' = L - cost`,
 *      `d = (W - e) + (current === 0 ? 0 : max(0, W - floor(need' * W / current)))`
 *      (this reaches `2 * W - e`, the window after next, when `cost === L`).
 *
 * ## `"token-bucket"` (GCRA; burst = `limit`)
 * Emission interval `T = W / L` ms, tolerance `tau = W - T`. Instead of a fractional theoretical arrival
 * time (TAT) the state is two integers, `{ at, debt }`: `at` is the time (ms) of the last update and
 * `debt = (TAT - at) * L` (>= 0), the TAT's lead over `at` counted in units of `1 / L` ms, so that one
 * request of cost `c` adds exactly `c * W` units. Absent state is `{ at: now, debt: 0 }`.
 * 1. Re-base: `at1 = max(at, now)` (a clock that stepped back counts as no time passed),
 *    `debt0 = max(0, debt - (at1 - at) * L)` (the TAT's lead over `now`, i.e. `(max(tat, now) - now) * L`);
 *    from here on `at = at1`, and the state written back is `{ at: at1, debt: debt1 }`.
 * 2. `debtNew = debt0 + cost * W` (`new_tat = max(tat, now) + cost * T`).
 * 3. `allowed = debtNew <= L * W` (`new_tat - now <= windowMs`). If allowed the state becomes
 *    `{ at: at1, debt: debtNew }`, else `{ at: at1, debt: debt0 }`; call the kept debt `debt1`.
 * 4. `remaining = floor((L * W - debt1) / W)` (`floor((windowMs - (tat - now)) / T)`).
 * 5. `resetMs = ceil(debt1 / L)` (`max(0, tat - now)`); also the state's TTL.
 * 6. `retryAfterMs` = 0 when allowed, else `ceil((debtNew - L * W) / L)`
 *    (`(new_tat - windowMs) - now`, rounded up).
 *
 * A Redis script stores these integers with exact formatting (`string.format("%d", x)`, never Lua's
 * `tostring`, which keeps 14 significant digits).
 *
 * @module
 */
import type { Result } from "../_internal/external-types.ts";
import type { RateLimitStoreUnavailable } from "./errors.ts";

/** The algorithms a store implements: Cloudflare's sliding-window approximation, or a token bucket as GCRA. */
export type RateLimitAlgorithm = "sliding-window" | "token-bucket";

/**
 * `limit` units per `windowMs` milliseconds, counted by `algorithm`. For a token bucket the burst is
 * `limit` and one unit comes back every `windowMs / limit` ms.
 */
export interface RateLimitPolicy {
  /** How the store counts: `"sliding-window"` or `"token-bucket"`, by this module's exact rules. */
  readonly algorithm: RateLimitAlgorithm;
  /** Units allowed per window (for a token bucket, the burst): a whole number >= 1. */
  readonly limit: number;
  /** The window in milliseconds, a whole number >= 1, with `limit * windowMs <= 2^50`. */
  readonly windowMs: number;
}

/** One decision of a store (the semantics are in this module's documentation). */
export interface RateLimitDecision {
  /** This request was admitted (and counted). */
  readonly allowed: boolean;
  /** `policy.limit`. */
  readonly limit: number;
  /** An integer >= 0: the units left after this decision. */
  readonly remaining: number;
  /** Milliseconds (integer >= 0) until the allowance is fully restored. */
  readonly resetMs: number;
  /** 0 when allowed; else the milliseconds until a request of this cost could pass. */
  readonly retryAfterMs: number;
}

/**
 * Where a limiter keeps its counts. Implementations: `createMemoryStore` (one isolate), the Redis stores
 * (one Lua script, one round trip) and the Workers stores (Durable Object, Rate Limiting binding).
 *
 * @example
 * ```ts
 * import { createMemoryStore, type RateLimitStore } from "@keel/http-security/rate-limit";
 * const store: RateLimitStore = createMemoryStore();
 * const first = await store.consume("user:42", { algorithm: "token-bucket", limit: 2, windowMs: 1000 }, 1);
 * console.assert(first.isOk() && first.value.allowed && first.value.remaining === 1);
 * ```
 */
export interface RateLimitStore {
  /**
   * Atomically decides and, when allowed, counts `cost` for `key` under `policy`. Never throws (nor
   * rejects): a store failure is `Err(RateLimitStoreUnavailable)`.
   */
  consume(
    key: string,
    policy: RateLimitPolicy,
    cost: number,
  ): Promise<Result<RateLimitDecision, RateLimitStoreUnavailable>>;
  /** Forgets `key` under every policy (a login success). Never throws (nor rejects). */
  reset(key: string): Promise<Result<void, RateLimitStoreUnavailable>>;
  /**
   * Optional: why this store can never apply `policy` (a sentence starting with the option's name, as
   * `"windowMs must be 10000 or 60000 ..."`), or `undefined`. `createRateLimiter` asks once at set-up and
   * throws it, so that an impossible policy is refused before the first request rather than on every one.
   */
  policyProblem?(policy: RateLimitPolicy): string | undefined;
}
