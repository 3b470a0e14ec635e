/**
 * A rate-limit store in the isolate's memory: exact and atomic within one process or Worker isolate (each
 * decision runs synchronously, so concurrent requests cannot interleave inside one), bounded in keys (the
 * least recently used one makes room, in constant time), and with no timer. For several processes, use the
 * Redis store or a Durable Object.
 *
 * @module
 */
import { err, ok } from "@keel/result";
import { refuseUnknownKeys } from "../_internal/options.ts";
import { type PolicyState, policyProblem, runAlgorithm } from "./algorithms.ts";
import { RateLimitStoreUnavailable } from "./errors.ts";
import { memoryStoreInternals } from "./memory-store-internals.ts";
import type { RateLimitDecision, RateLimitPolicy, RateLimitStore } from "./store.ts";

/** Options for {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The most keys kept (default 100,000). When a new key finds the store full, the least recently used key
   * is dropped (in constant time, however many keys came and went before): its count is forgotten, so size
   * this above the number of keys active within one window (an attacker who can mint that many keys can
   * otherwise flush counts out).
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
interface Slot extends PolicyState {
  space: string;
  algorithm: RateLimitPolicy["algorithm"];
  limit: number;
  windowMs: number;
  next: Slot | undefined;
}

// One key: its policies' slots, and its place in the recency list (`older` towards the next to evict).
interface Entry {
  readonly key: string;
  slots: Slot | undefined;
  older: Entry | undefined;
  newer: Entry | undefined;
}

const MEMORY_STORE_OPTIONS = ["maxKeys", "now"] as const;

/**
 * Builds a store that keeps its counts in this isolate's memory. Share one store between limiters: each
 * limiter keeps its keys apart under its name (a namespace beside the key, not a prefix in it, so the
 * limiter's keys and keys given to `consume` directly never meet). Every decision costs the same few
 * steps, full store or not: a new key in a full store drops the least recently used one in constant time.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from "@keel/http-security/rate-limit";
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
  refuseUnknownKeys("createMemoryStore", options, MEMORY_STORE_OPTIONS);
  const { maxKeys = 100_000, now = Date.now } = options;
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
    throw new TypeError("createMemoryStore: maxKeys must be a whole number >= 1");
  }
  if (typeof now !== "function") throw new TypeError("createMemoryStore: now must be a function");
  // Only ever looked up, set and deleted by key, never iterated: iterating a Map from its start walks past
  // the holes its deletions left (V8 and JavaScriptCore keep them until a rehash), which made each eviction
  // cost O(keys evicted so far). The recency order is this store's own doubly linked list instead.
  const entries = new Map<string, Entry>();
  let oldest: Entry | undefined;
  let newest: Entry | undefined;
  const clock = now === Date.now ? now : (): number => Math.floor(now());

  // The policy object last validated: a frozen one (the limiter's) is checked once, not per decision.
  let trusted: RateLimitPolicy | undefined;

  function unlink(entry: Entry): void {
    if (entry.older === undefined) oldest = entry.newer;
    else entry.older.newer = entry.newer;
    if (entry.newer === undefined) newest = entry.older;
    else entry.newer.older = entry.older;
    entry.older = undefined;
    entry.newer = undefined;
  }

  function append(entry: Entry): void {
    entry.older = newest;
    if (newest === undefined) oldest = entry;
    else newest.newer = entry;
    newest = entry;
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
    let entry = entries.get(key);
    if (entry === undefined) {
      // A new key in a full store: the least recently used one makes room (one step, whatever came before).
      if (entries.size >= maxKeys && oldest !== undefined) {
        const evicted = oldest;
        unlink(evicted);
        entries.delete(evicted.key);
      }
      entry = { key, slots: undefined, older: undefined, newer: undefined };
      entries.set(key, entry);
      append(entry);
    } else if (entry !== newest) {
      unlink(entry);
      append(entry);
    }
    let slot = entry.slots;
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
      // A new policy of this key goes first in its chain.
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
        next: entry.slots,
      };
      entry.slots = slot;
    }
    return runAlgorithm(algorithm, slot, limit, windowMs, cost, at);
  }

  function forget(space: string, key: string): void {
    const entry = entries.get(key);
    if (entry === undefined) return;
    let head = entry.slots;
    while (head !== undefined && head.space === space) head = head.next;
    for (let slot = head; slot !== undefined; slot = slot.next) {
      while (slot.next !== undefined && slot.next.space === space) slot.next = slot.next.next;
    }
    entry.slots = head;
    if (head === undefined) {
      unlink(entry);
      entries.delete(key);
    }
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
      return entries.size;
    },
  };
  memoryStoreInternals.set(store, { consume: decide, reset: forget });
  return store;
}
