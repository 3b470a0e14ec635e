import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type SlidingWindowState,
  slidingWindow,
  type TokenBucketState,
  tokenBucket,
} from "../../src/rate-limit/algorithms.ts";
import { createMemoryStore, type RateLimitPolicy } from "../../src/rate-limit/index.ts";
import { bucket, sliding } from "../_internal/rate-limit-policies.ts";

const PROPERTY_TIMEOUT = 120_000;

/** A store on a clock the test moves. */
function clocked(maxKeys?: number) {
  const clock = { now: 0 };
  const store = createMemoryStore({ now: () => clock.now, ...(maxKeys === undefined ? {} : { maxKeys }) });
  return { clock, store };
}

/**
 * A Map that keeps insertion order the way V8's OrderedHashMap and JavaScriptCore's do: a deletion leaves a
 * hole that every iteration from the start walks past, until holes outnumber live entries and an insertion
 * compacts the table (as the engines rehash, amortised: not counted). `work` counts what a real Map pays for: one per
 * lookup, insertion or deletion, and one per slot an iterator steps over, holes included.
 */
function countingMapClass(RealMap: MapConstructor) {
  const HOLE = Symbol("hole");
  return class CountingMap<K, V> {
    static work = 0;
    #index = new RealMap<K, number>();
    #keys: (K | typeof HOLE)[] = [];
    #values: (V | undefined)[] = [];
    #holes = 0;
    #iterating = 0;
    get size(): number {
      return this.#index.size;
    }
    has(key: K): boolean {
      CountingMap.work++;
      return this.#index.has(key);
    }
    get(key: K): V | undefined {
      CountingMap.work++;
      const at = this.#index.get(key);
      return at === undefined ? undefined : this.#values[at];
    }
    set(key: K, value: V): this {
      CountingMap.work++;
      const at = this.#index.get(key);
      if (at !== undefined) this.#values[at] = value;
      else {
        if (this.#holes > this.#index.size && this.#iterating === 0) this.#compact();
        this.#index.set(key, this.#keys.length);
        this.#keys.push(key);
        this.#values.push(value);
      }
      return this;
    }
    delete(key: K): boolean {
      CountingMap.work++;
      const at = this.#index.get(key);
      if (at === undefined) return false;
      this.#index.delete(key);
      this.#keys[at] = HOLE;
      this.#values[at] = undefined;
      this.#holes++;
      return true;
    }
    #compact(): void {
      const keys: K[] = [];
      const values: (V | undefined)[] = [];
      for (let i = 0; i < this.#keys.length; i++) {
        const key = this.#keys[i] as K | typeof HOLE;
        if (key === HOLE) continue;
        this.#index.set(key, keys.length);
        keys.push(key);
        values.push(this.#values[i]);
      }
      this.#keys = keys;
      this.#values = values;
      this.#holes = 0;
    }
    *entries(): IterableIterator<[K, V]> {
      this.#iterating++;
      try {
        for (let i = 0; i < this.#keys.length; i++) {
          CountingMap.work++;
          const key = this.#keys[i] as K | typeof HOLE;
          if (key !== HOLE) yield [key, this.#values[i] as V];
        }
      } finally {
        this.#iterating--;
      }
    }
    *keys(): IterableIterator<K> {
      for (const [key] of this.entries()) yield key;
    }
    *values(): IterableIterator<V> {
      for (const [, value] of this.entries()) yield value;
    }
    forEach(callback: (value: V, key: K, map: this) => void): void {
      for (const [key, value] of this.entries()) callback(value, key, this);
    }
    [Symbol.iterator](): IterableIterator<[K, V]> {
      return this.entries();
    }
  };
}

/** A store built while `Map` is the counting model (only its construction: every other Map stays real). */
function instrumentedStore(maxKeys: number) {
  const RealMap = globalThis.Map;
  const CountingMap = countingMapClass(RealMap);
  globalThis.Map = CountingMap as unknown as MapConstructor;
  try {
    const clock = { now: 0 };
    return { clock, CountingMap, store: createMemoryStore({ maxKeys, now: () => clock.now }) };
  } finally {
    globalThis.Map = RealMap;
  }
}

describe("sliding window (Cloudflare's approximation)", () => {
  it.each([
    // [limit, windowMs, [time, cost, allowed, remaining, resetMs, retryAfterMs][]]
    [
      3,
      1000,
      [
        [0, 1, true, 2, 2000, 0],
        [100, 1, true, 1, 1900, 0],
        [200, 1, true, 0, 1800, 0],
        [300, 1, false, 0, 1700, 1034], // next window: previous' 3, need' 2 -> e' >= 1000 - 666 = 334
        [1333, 1, false, 0, 667, 1], // only the previous window counts now
        [1334, 1, true, 0, 1666, 0], // 3 * 666 / 1000 + 1 = 2.998 <= 3
      ],
    ],
    [
      10,
      60_000,
      [
        [59_999, 10, true, 0, 60_001, 0],
        [60_000, 1, false, 0, 60_000, 6_000], // in window: previous 10, need 9 -> d = 60000 - 54000
        [66_000, 1, true, 0, 114_000, 0],
        [66_001, 2, false, 0, 113_999, 11_999], // 10 * 42000 / 60000 + 1 + 2 = 10 at 78,000
      ],
    ],
    [
      2,
      1000,
      [
        [0, 2, true, 0, 2000, 0],
        [999, 2, false, 0, 1001, 1001], // cost = limit: only once the counted window has fully decayed
        [2000, 2, true, 0, 2000, 0],
      ],
    ],
  ] as const)("limit %i per %i ms decides the table", (limit, windowMs, rows) => {
    const { clock, store } = clocked();
    for (const [time, cost, allowed, remaining, resetMs, retryAfterMs] of rows) {
      clock.now = time;
      expect(store.consumeSync("k", sliding(limit, windowMs), cost)).toEqual({
        allowed,
        limit,
        remaining,
        resetMs,
        retryAfterMs,
      });
    }
  });

  it("keeps the newest window when the clock steps back", () => {
    const { clock, store } = clocked();
    clock.now = 1500;
    expect(store.consumeSync("k", sliding(1, 1000)).allowed).toBe(true);
    clock.now = 900;
    expect(store.consumeSync("k", sliding(1, 1000)).allowed).toBe(false);
  });
});

describe("token bucket (GCRA)", () => {
  it.each([
    [
      4,
      1000,
      [
        [0, 1, true, 3, 250, 0],
        [0, 3, true, 0, 1000, 0],
        [0, 1, false, 0, 1000, 250],
        [249, 1, false, 0, 751, 1],
        [250, 1, true, 0, 1000, 0],
        [2000, 4, true, 0, 1000, 0],
      ],
    ],
    [
      7,
      60_000, // T = 8571.43 ms: exact in units of 1/7 ms
      [
        [0, 7, true, 0, 60_000, 0],
        [0, 1, false, 0, 60_000, 8572],
        [8571, 1, false, 0, 51_429, 1],
        [8572, 1, true, 0, 60_000, 0],
      ],
    ],
  ] as const)("limit %i per %i ms decides the table", (limit, windowMs, rows) => {
    const { clock, store } = clocked();
    for (const [time, cost, allowed, remaining, resetMs, retryAfterMs] of rows) {
      clock.now = time;
      expect(store.consumeSync("k", bucket(limit, windowMs), cost)).toEqual({
        allowed,
        limit,
        remaining,
        resetMs,
        retryAfterMs,
      });
    }
  });

  it("admits a full burst at any clock value (no rounding loses the last unit)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 3_600_000 }),
        fc.integer({ min: 1_600_000_000_000, max: 2_500_000_000_000 }),
        (limit, windowMs, now) => {
          const { clock, store } = clocked();
          clock.now = now;
          const burst = store.consumeSync("k", bucket(limit, windowMs), limit);
          const over = store.consumeSync("k", bucket(limit, windowMs), 1);
          return burst.allowed && burst.remaining === 0 && !over.allowed && over.retryAfterMs >= 1;
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("ignores a clock that steps back (neither refill nor charge)", () => {
    const { clock, store } = clocked();
    clock.now = 10_000;
    expect(store.consumeSync("k", bucket(1, 1000)).allowed).toBe(true);
    clock.now = 0;
    expect(store.consumeSync("k", bucket(1, 1000))).toMatchObject({ allowed: false, retryAfterMs: 1000 });
  });
});

// Random request sequences: [gap since the previous request in ms, cost].
const scenario = fc
  .record({ limit: fc.integer({ min: 1, max: 12 }), windowMs: fc.integer({ min: 1, max: 3000 }) })
  .chain(({ limit, windowMs }) =>
    fc.record({
      limit: fc.constant(limit),
      windowMs: fc.constant(windowMs),
      start: fc.integer({ min: 0, max: 2_000_000_000_000 }),
      steps: fc.array(
        fc.tuple(fc.integer({ min: 0, max: 2 * windowMs }), fc.integer({ min: 1, max: limit })),
        { minLength: 1, maxLength: 60 },
      ),
    }),
  );

describe("properties against independent models", () => {
  it(
    "sliding window: admits exactly what the log of admissions allows (estimate + cost <= limit)",
    () => {
      fc.assert(
        fc.property(scenario, ({ limit, windowMs, start, steps }) => {
          const { clock, store } = clocked();
          const policy = sliding(limit, windowMs);
          const admitted: [number, number][] = [];
          clock.now = start;
          for (const [gap, cost] of steps) {
            clock.now += gap;
            const w = Math.floor(clock.now / windowMs);
            const e = clock.now - w * windowMs;
            let previous = 0;
            let current = 0;
            for (const [time, units] of admitted) {
              const window = Math.floor(time / windowMs);
              if (window === w) current += units;
              if (window === w - 1) previous += units;
            }
            const expected =
              BigInt(previous) * BigInt(windowMs - e) + BigInt((current + cost) * windowMs) <=
              BigInt(limit * windowMs);
            const decision = store.consumeSync("k", policy, cost);
            if (decision.allowed !== expected) return false;
            if (current + (expected ? cost : 0) > limit) return false; // never over the limit in a fixed window
            if (expected) admitted.push([clock.now, cost]);
          }
          return true;
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "token bucket: admits exactly what a continuous bucket of `limit` tokens refilled at limit/windowMs admits",
    () => {
      fc.assert(
        fc.property(scenario, ({ limit, windowMs, start, steps }) => {
          const { clock, store } = clocked();
          const policy = bucket(limit, windowMs);
          // Tokens counted in units of 1/windowMs token (BigInt): refills `limit` units per ms.
          const capacity = BigInt(limit) * BigInt(windowMs);
          let tokens = capacity;
          let last = start;
          clock.now = start;
          const admitted: [number, number][] = [];
          for (const [gap, cost] of steps) {
            clock.now += gap;
            tokens += BigInt(clock.now - last) * BigInt(limit);
            if (tokens > capacity) tokens = capacity;
            last = clock.now;
            const need = BigInt(cost) * BigInt(windowMs);
            const expected = tokens >= need;
            if (expected) tokens -= need;
            const decision = store.consumeSync("k", policy, cost);
            if (decision.allowed !== expected) return false;
            if (decision.remaining !== Number(tokens / BigInt(windowMs))) return false;
            if (expected) admitted.push([clock.now, cost]);
          }
          // In any interval of length d: at most limit + d * limit / windowMs units (the GCRA bound).
          for (let i = 0; i < admitted.length; i++) {
            let units = 0;
            for (let j = i; j < admitted.length; j++) {
              units += (admitted[j] as [number, number])[1];
              const d = (admitted[j] as [number, number])[0] - (admitted[i] as [number, number])[0];
              if (units * windowMs > limit * windowMs + d * limit) return false;
            }
          }
          return true;
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  const algorithms = [
    ["sliding-window", slidingWindow, (): SlidingWindowState => ({ window: 0, previous: 0, current: 0 })],
    ["token-bucket", tokenBucket, (): TokenBucketState => ({ at: 0, debt: 0 })],
  ] as const;

  it.each(algorithms)(
    "%s: retryAfterMs is the exact wait and resetMs the exact time to a full allowance",
    (_name, decide, fresh) => {
      fc.assert(
        fc.property(scenario, ({ limit, windowMs, start, steps }) => {
          const state = fresh() as SlidingWindowState & TokenBucketState;
          let now = start;
          for (const [gap, cost] of steps) {
            now += gap;
            const before = { ...state };
            const decision = decide(state, limit, windowMs, cost, now);
            if (decision.remaining < 0 || !Number.isSafeInteger(decision.remaining)) return false;
            if (!decision.allowed) {
              const wait = decision.retryAfterMs;
              if (wait < 1) return false;
              if (decide({ ...before }, limit, windowMs, cost, now + wait - 1).allowed) return false;
              if (!decide({ ...before }, limit, windowMs, cost, now + wait).allowed) return false;
            } else if (decision.retryAfterMs !== 0) return false;
            // Fully restored: a request of the whole limit passes at resetMs, not a millisecond earlier.
            const reset = decision.resetMs;
            if (!decide({ ...state }, limit, windowMs, limit, now + reset).allowed) return false;
            if (reset > 0 && decide({ ...state }, limit, windowMs, limit, now + reset - 1).allowed)
              return false;
          }
          return true;
        }),
        { numRuns: 1000 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});

describe("worst cases (stated in the README so users can choose)", () => {
  /** The most admissions inside any span [t, t + windowMs) of a sorted list of admission times. */
  const busiestSpan = (times: number[], windowMs: number): number => {
    let most = 0;
    for (let i = 0, j = 0; j < times.length; j++) {
      while ((times[j] as number) - (times[i] as number) >= windowMs) i++;
      most = Math.max(most, j - i + 1);
    }
    return most;
  };

  it.each([
    ["sliding-window", sliding, 59_999], // `limit` in the window's last millisecond, then the next window
    ["token-bucket", bucket, 0], // a full bucket at once, then one refill every windowMs / limit
  ] as const)(
    "%s: an adversarial spread admits 2 * limit - 1 within one windowMs",
    (_name, policyOf, burstAt) => {
      const { clock, store } = clocked();
      const limit = 10;
      const windowMs = 60_000;
      const policy = policyOf(limit, windowMs);
      const admitted: number[] = [];
      for (clock.now = burstAt; clock.now < burstAt + windowMs; clock.now++) {
        while (store.consumeSync("k", policy).allowed) admitted.push(clock.now);
      }
      expect(busiestSpan(admitted, windowMs)).toBe(2 * limit - 1);
    },
  );

  it.each([
    ["sliding-window", sliding],
    ["token-bucket", bucket],
  ] as const)("%s: no sequence admits more than 2 * limit - 1 within one windowMs", (_name, policyOf) => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 400 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 200 }),
        (limit, windowMs, gaps) => {
          const { clock, store } = clocked();
          const policy = policyOf(limit, windowMs);
          const admitted: number[] = [];
          for (const gap of gaps) {
            clock.now += gap;
            if (store.consumeSync("k", policy).allowed) admitted.push(clock.now);
          }
          return busiestSpan(admitted, windowMs) <= 2 * limit - 1;
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("createMemoryStore: constant work per decision, however full (issue #20)", () => {
  it("touches at most 3 map slots per decision: 60,000 distinct keys through a store of 20,000, hits mixed in", () => {
    const { clock, CountingMap, store } = instrumentedStore(20_000);
    const policy = sliding(5, 60_000);
    let most = 0;
    let total = 0;
    let decisions = 0;
    const decide = (key: string): void => {
      const before = CountingMap.work;
      store.consumeSync(key, policy);
      const work = CountingMap.work - before;
      most = Math.max(most, work);
      total += work;
      decisions++;
    };
    for (let i = 0; i < 60_000; i++) {
      clock.now = i;
      decide(`ip:2001:db8:${i}::`);
      if (i % 3 === 0) decide(`ip:2001:db8:${i >> 1}::`); // a key seen before: a hit, or evicted and new again
    }
    expect(store.size).toBe(20_000);
    // A lookup, and for a new key in a full store the eviction's delete and the insertion. The store built
    // on CLOCK over the Map's own order walked the holes of every key it had evicted: thousands per decision.
    expect(most).toBeLessThanOrEqual(3);
    expect(total / decisions).toBeLessThanOrEqual(3);
  });

  it("evicts exactly the least recently used key (against a model, resets included)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(
          fc.tuple(fc.constantFrom("consume", "consume", "consume", "reset"), fc.integer({ min: 0, max: 9 })),
          {
            maxLength: 120,
          },
        ),
        (maxKeys, steps) => {
          const { store } = clocked(maxKeys);
          const policy = sliding(1, 60_000); // one admission per key: a refusal means "still held"
          const held: string[] = []; // least recently used first
          for (const [op, n] of steps) {
            const key = `k${n}`;
            const at = held.indexOf(key);
            if (op === "reset") {
              void store.reset(key);
              if (at >= 0) held.splice(at, 1);
              continue;
            }
            if (store.consumeSync(key, policy).allowed !== at < 0) return false;
            if (at >= 0) held.splice(at, 1);
            else if (held.length === maxKeys) held.shift();
            held.push(key);
            if (store.size !== held.length) return false;
          }
          return true;
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("createMemoryStore: bounds and contract", () => {
  it("holds at most maxKeys keys (100,000 keys through a store of 1,000)", () => {
    const { clock, store } = clocked(1000);
    for (let i = 0; i < 100_000; i++) {
      clock.now = i;
      store.consumeSync(`key-${i}`, sliding(5, 60_000));
      if (store.size > 1000) throw new Error(`size ${store.size} after ${i} keys`);
    }
    expect(store.size).toBe(1000);
  });

  it("evicts the least recently used key, not one in active use", () => {
    const { store } = clocked(100);
    const policy = sliding(3, 60_000);
    for (let i = 0; i < 3; i++) store.consumeSync("victim", policy);
    for (let i = 0; i < 10_000; i++) {
      store.consumeSync(`spray-${i}`, policy);
      if (i % 50 === 0) expect(store.consumeSync("victim", policy).allowed).toBe(false);
    }
  });

  it("drops the least recently used key (an expired one here) when it needs room", () => {
    const { clock, store } = clocked(10);
    for (let i = 0; i < 10; i++) store.consumeSync(`old-${i}`, bucket(1, 1000));
    clock.now = 500;
    store.consumeSync("live", bucket(1, 1000)); // expires at 1500
    clock.now = 1200;
    store.consumeSync("new", bucket(1, 1000));
    expect(store.size).toBeLessThanOrEqual(10);
    expect(store.consumeSync("live", bucket(1, 1000)).allowed).toBe(false); // kept: still counting
  });

  it("keeps a key's policies apart and forgets all of them on reset", async () => {
    const { store } = clocked();
    expect(store.consumeSync("k", sliding(1, 1000)).allowed).toBe(true);
    expect(store.consumeSync("k", bucket(1, 1000)).allowed).toBe(true);
    expect(store.consumeSync("k", sliding(1, 2000)).allowed).toBe(true);
    expect(store.consumeSync("k", sliding(1, 1000)).allowed).toBe(false);
    expect(store.consumeSync("k", bucket(1, 1000)).allowed).toBe(false);
    expect((await store.reset("k")).isOk()).toBe(true);
    expect(store.consumeSync("k", sliding(1, 1000)).allowed).toBe(true);
    expect(store.consumeSync("k", bucket(1, 1000)).allowed).toBe(true);
  });

  it.each([
    [sliding(5, 1000), 0],
    [sliding(5, 1000), 6],
    [sliding(5, 1000), 1.5],
    [sliding(0, 1000), 1],
    [sliding(5, 0), 1],
    [sliding(2 ** 26, 2 ** 25), 1],
    [{ algorithm: "fixed-window", limit: 5, windowMs: 1000 } as unknown as RateLimitPolicy, 1],
  ])(
    "answers Err for a policy or cost outside the contract (%o, cost %d), and consumeSync throws",
    async (policy, cost) => {
      const { store } = clocked();
      const result = await store.consume("k", policy, cost);
      expect(result.isErr() && result.error._tag).toBe("RateLimitStoreUnavailable");
      expect(() => store.consumeSync("k", policy, cost)).toThrow(TypeError);
    },
  );

  it("refuses bad options at set-up", () => {
    expect(() => createMemoryStore({ maxKeys: 0 })).toThrow(/^createMemoryStore: maxKeys/);
    expect(() => createMemoryStore({ now: 5 as never })).toThrow(/^createMemoryStore: now/);
    expect(() => createMemoryStore({ maxkeys: 10 } as never)).toThrow(
      /^createMemoryStore: unknown option maxkeys \(did you mean maxKeys\?\)/,
    );
  });

  it("decides atomically under 1,000 concurrent consumes", async () => {
    const { store } = clocked();
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => store.consume("k", sliding(100, 60_000), 1)),
    );
    expect(results.filter((r) => r.isOk() && r.value.allowed)).toHaveLength(100);
  });
});
