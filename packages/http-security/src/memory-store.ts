/**
 * @module
 * A rate-limit store in the isolate's memory: exact and atomic within one process or Worker isolate (each
 * decision runs synchronously, so concurrent requests cannot interleave inside one), bounded in entries, and
 * with no timer: expired entries are dropped lazily when room is needed. For several processes, use the
 * Redis store or a Durable Object.
 */
import { err, ok } from "@keel/result";
import { memoryStoreInternals } from "./_internal/memory-store-internals.ts";
import {
  policyProblem,
  type SlidingWindowState,
  slidingWindow,
  type TokenBucketState,
  tokenBucket,
} from "./_internal/rate-limit-algorithms.ts";
import { RateLimitStoreUnavailable } from "./rate-limit-errors.ts";
import type { RateLimitDecision, RateLimitPolicy, RateLimitStore } from "./rate-limit-store.ts";

/** Options for {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The most keys kept (default 100,000). When a new key finds the store full, an expired key is dropped,
   * or else one not used lately (CLOCK, an approximation of least-recently-used): its count is forgotten,
   * so size this above the number of keys active within one window (an attacker who can mint that many
   * keys can otherwise flush counts out).
   */
  readonly maxKeys?: number;
  /** The clock, in whole milliseconds since the epoch; `Date.now` by default. For tests. */
  readonly now?: () => number;
}

/** A {@link RateLimitStore} in memory, with synchronous variants of its methods. */
export interface MemoryStore extends RateLimitStore {
  /**
   * `consume` without the Promise and the Result: the decision itself. Throws a `TypeError` for a policy or
   * cost outside the contract (where `consume` answers `Err`).
   */
  consumeSync(key: string, policy: RateLimitPolicy, cost?: number): RateLimitDecision;
  /** The number of keys held (expired ones included until they are dropped). */
  readonly size: number;
}

// One key's state under one policy (in one limiter's namespace); the others of the same key hang on `next`.
interface Slot extends SlidingWindowState, TokenBucketState {
  space: string;
  algorithm: RateLimitPolicy["algorithm"];
  limit: number;
  windowMs: number;
  expiresAt: number;
  used: boolean;
  next: Slot | undefined;
}

const SWEEP = 16;

/**
 * Builds a store that keeps its counts in this isolate's memory. Share one store between limiters: each
 * limiter keeps its keys apart under its name (a namespace beside the key, not a prefix in it, so the
 * limiter's keys and keys given to `consume` directly never meet).
 *
 * @example
 * ```ts
 * import { createMemoryStore } from "@keel/http-security";
 *
 * let now = 0;
 * const store = createMemoryStore({ maxKeys: 10_000, now: () => now });
 * const policy = { algorithm: "sliding-window", limit: 2, windowMs: 1000 } as const;
 * console.assert(store.consumeSync("k", policy).allowed && store.consumeSync("k", policy).allowed);
 * const third = store.consumeSync("k", policy);
 * console.assert(!third.allowed && third.retryAfterMs === 1500); // 2 in the previous window weigh 1 at 500 ms
 * now = 2000;
 * const later = await store.consume("k", policy, 1);
 * console.assert(later.isOk() && later.value.allowed);
 * ```
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const { maxKeys = 100_000, now = Date.now } = options;
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
    throw new TypeError("createMemoryStore: maxKeys must be a whole number >= 1");
  }
  if (typeof now !== "function") throw new TypeError("createMemoryStore: now must be a function");
  const slots = new Map<string, Slot>();
  const clock = now === Date.now ? now : (): number => Math.floor(now());

  // The policy object last validated: a frozen one (the limiter's) is checked once, not per decision.
  let trusted: RateLimitPolicy | undefined;

  // CLOCK (second chance) over the map's insertion order: a used key is moved to the back once instead of
  // being evicted, so eviction approximates least-recently-used without reordering on every decision.
  function makeRoom(at: number): void {
    let examined = 0;
    for (const [key, first] of slots) {
      let live = false;
      let used = false;
      for (let s: Slot | undefined = first; s !== undefined; s = s.next) {
        live ||= s.expiresAt > at;
        used ||= s.used;
        s.used = false;
      }
      slots.delete(key);
      if (!live) return; // expired: dropping it decides nothing differently
      if (!used || ++examined >= SWEEP) return; // unused since the last pass (or searched enough): evicted
      slots.set(key, first);
    }
  }

  function decide(space: string, key: string, policy: RateLimitPolicy, cost: number): RateLimitDecision {
    if (policy !== trusted) {
      const problem = policyProblem(policy, 1);
      if (problem !== undefined) throw new TypeError(`rate-limit store: ${problem}`);
      if (Object.isFrozen(policy)) trusted = policy;
    }
    const { algorithm, limit, windowMs } = policy;
    if (cost !== 1 && !(cost >= 1 && cost <= limit && Number.isSafeInteger(cost))) {
      throw new TypeError("rate-limit store: cost must be a whole number from 1 to the limit");
    }
    const at = clock();
    const head = slots.get(key);
    let slot = head;
    while (
      slot !== undefined &&
      (slot.space !== space ||
        slot.algorithm !== algorithm ||
        slot.limit !== limit ||
        slot.windowMs !== windowMs)
    ) {
      slot = slot.next;
    }
    if (slot === undefined) {
      // A new key may need room; a new policy of a known key goes first in its chain.
      if (head === undefined && slots.size >= maxKeys) makeRoom(at);
      slot = {
        space,
        algorithm,
        limit,
        windowMs,
        window: 0,
        previous: 0,
        current: 0,
        at: 0,
        debt: 0,
        expiresAt: 0,
        used: false,
        next: head,
      };
      slots.set(key, slot);
    } else {
      slot.used = true;
    }
    const decision =
      algorithm === "sliding-window"
        ? slidingWindow(slot, limit, windowMs, cost, at)
        : tokenBucket(slot, limit, windowMs, cost, at);
    slot.expiresAt = at + decision.resetMs;
    return decision;
  }

  function forget(space: string, key: string): void {
    let head = slots.get(key);
    while (head !== undefined && head.space === space) head = head.next;
    for (let slot = head; slot !== undefined; slot = slot.next) {
      while (slot.next !== undefined && slot.next.space === space) slot.next = slot.next.next;
    }
    if (head === undefined) slots.delete(key);
    else slots.set(key, head);
  }

  const store: MemoryStore = {
    consumeSync: (key, policy, cost = 1) => decide("", key, policy, cost),
    async consume(key, policy, cost) {
      try {
        return ok(decide("", key, policy, cost));
      } catch (cause) {
        return err(new RateLimitStoreUnavailable({ cause }));
      }
    },
    async reset(key) {
      forget("", key);
      return ok(undefined);
    },
    get size() {
      return slots.size;
    },
  };
  memoryStoreInternals.set(store, { consume: decide, reset: forget });
  return store;
}
