/**
 * Rate-limit stores for Cloudflare Workers: an adapter for the Rate Limiting binding (fast, per location,
 * approximate, fixed by the Wrangler configuration) and a Durable Object (exact: one object per key decides
 * every request for it, with the same algorithms as the memory store). Structural types only: this module
 * imports nothing from `cloudflare:workers`.
 *
 * @module
 */

import { checkWhole, optionError, refuseUnknownKeys } from "../_internal/options.ts";
import { type PolicyState, policyProblem, runAlgorithm } from "./algorithms.ts";
import { checkPrefix, checkTimeout, contractViolation, settle, storeKeyName } from "./shared-store.ts";
import type { RateLimitDecision, RateLimitPolicy, RateLimitStore } from "./store.ts";

/** A Rate Limiting binding (`env.MY_LIMITER`), as Workers provides it. */
export interface RateLimitBinding {
  /** Counts one request for `key`; `success` is `false` when the binding's limit is reached. */
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/** Options for {@link createRateLimitBindingStore}. */
export interface RateLimitBindingOptions {
  /**
   * The binding's `period` in seconds, as in its Wrangler configuration: 10 or 60 (the only periods a
   * binding can have). When given, a limiter whose `windowMs` is not `period * 1000` is refused at set-up.
   * Either way, a `windowMs` other than 10,000 or 60,000 is refused there.
   */
  readonly period?: 10 | 60;
  /**
   * The binding's `limit`, as in its Wrangler configuration. When given, a limiter with another `limit` is
   * refused at set-up (the binding would enforce its own, whatever the limiter says).
   */
  readonly limit?: number;
  /** Prepended to every key sent to the binding (default `""`). */
  readonly prefix?: string;
  /** The longest wait for the binding, in milliseconds (default 1000). */
  readonly timeoutMs?: number;
}

const BINDING_OPTIONS = ["period", "limit", "prefix", "timeoutMs"] as const;
const BINDING_PERIODS_MS = [10_000, 60_000];

/**
 * Adapts a Cloudflare Rate Limiting binding into a {@link RateLimitStore}. The binding enforces the limit
 * and period of its Wrangler configuration (`simple: { limit, period }`, a period of 10 or 60 s), not the
 * policy's, and only answers `{ success }`: give the limiter the same numbers. `createRateLimiter` refuses
 * at set-up a `windowMs` no binding can have (anything but 10,000 or 60,000), and, when the store is told
 * the binding's `period` and `limit`, any other numbers. What the binding cannot report is reported
 * conservatively: `remaining` is 0 (unknown), `resetMs` is one period and `retryAfterMs` one period when
 * refused (estimates, not the binding's own figures). Counts are per Cloudflare location and eventually
 * consistent: a limit, not an exact count (use {@link createDurableObjectStore} for that). A `cost` above
 * 1 calls the binding once per unit and stops at the first refusal (the units already taken stay taken),
 * and `reset` is impossible: it answers `Err(RateLimitStoreUnavailable)`.
 *
 * @example
 * ```ts
 * import { createRateLimiter } from "@keel/http-security/rate-limit";
 * import { createRateLimitBindingStore } from "@keel/http-security/rate-limit/workers";
 *
 * let used = 0;
 * const binding = { limit: async (_: { key: string }) => ({ success: ++used <= 2 }) }; // a stand-in for env.LOGIN_LIMITER
 * const store = createRateLimitBindingStore(binding, { period: 60, limit: 2 });
 * const policy = { algorithm: "sliding-window", limit: 2, windowMs: 60_000 } as const;
 * await store.consume("ip:203.0.113.7", policy, 1);
 * await store.consume("ip:203.0.113.7", policy, 1);
 * const third = await store.consume("ip:203.0.113.7", policy, 1);
 * console.assert(third.isOk() && !third.value.allowed && third.value.retryAfterMs === 60_000);
 * let refused = "";
 * try {
 *   createRateLimiter({ store, limit: 2, windowMs: 30_000 });
 * } catch (error) {
 *   refused = String(error);
 * }
 * console.assert(refused.startsWith("TypeError: createRateLimiter: windowMs must be")); // at set-up
 * ```
 */
export function createRateLimitBindingStore(
  binding: RateLimitBinding,
  options: RateLimitBindingOptions = {},
): RateLimitStore {
  const where = "createRateLimitBindingStore";
  if (typeof binding?.limit !== "function") {
    throw new TypeError(`${where}: binding must be a Rate Limiting binding (with limit)`);
  }
  refuseUnknownKeys(where, options, BINDING_OPTIONS);
  const { period, limit } = options;
  if (period !== undefined && period !== 10 && period !== 60) {
    optionError(where, "period", "must be 10 or 60 (seconds): a Rate Limiting binding has no other period");
  }
  if (limit !== undefined) checkWhole(where, "limit", limit, 1, Number.MAX_SAFE_INTEGER);
  const prefix = checkPrefix(where, options.prefix ?? "");
  const timeoutMs = checkTimeout(where, options.timeoutMs ?? 1000);

  function policyProblemOf(policy: RateLimitPolicy): string | undefined {
    if (period !== undefined && policy.windowMs !== period * 1000) {
      return `windowMs must be ${period * 1000}: the Rate Limiting binding's period is ${period} s`;
    }
    if (!BINDING_PERIODS_MS.includes(policy.windowMs)) {
      return "windowMs must be 10000 or 60000: a Rate Limiting binding has a period of 10 or 60 s only";
    }
    if (limit !== undefined && policy.limit !== limit) {
      return `limit must be ${limit}: the Rate Limiting binding's limit (it enforces its own)`;
    }
    return undefined;
  }

  return {
    policyProblem: policyProblemOf,
    async consume(key, policy, cost) {
      const problem =
        typeof key === "string"
          ? (policyProblem(policy, cost) ?? policyProblemOf(policy))
          : "key must be a string";
      if (problem !== undefined) return contractViolation(problem);
      return settle(timeoutMs, "The Rate Limiting binding", async () => {
        const name = prefix + (await storeKeyName(key));
        let allowed = true;
        for (let unit = 0; unit < cost && allowed; unit++) {
          const outcome = await binding.limit({ key: name });
          if (typeof outcome?.success !== "boolean")
            throw new TypeError("The binding answered no success flag");
          allowed = outcome.success;
        }
        return {
          allowed,
          limit: policy.limit,
          remaining: 0,
          resetMs: policy.windowMs,
          retryAfterMs: allowed ? 0 : policy.windowMs,
        } satisfies RateLimitDecision;
      });
    },
    async reset() {
      return contractViolation("the Rate Limiting binding cannot forget a key (use a Durable Object store)");
    },
  };
}

/** The part of a Durable Object's storage {@link RateLimiterObject} uses (`ctx.storage`). */
export interface RateLimiterStorage {
  /** Reads one stored value, `undefined` when absent. */
  get<T>(key: string): Promise<T | undefined>;
  /** Reads every stored entry: the object loads its states once, on its first request. */
  list<T>(): Promise<Map<string, T>>;
  /** Writes one value; the object writes each policy's state after every decision. */
  put<T>(key: string, value: T): Promise<void>;
  /** Deletes everything: on `reset`, and by the alarm once every allowance is restored. */
  deleteAll(): Promise<void>;
  /** Schedules the object's `alarm()` at `scheduledTime` (milliseconds since the epoch). */
  setAlarm(scheduledTime: number): Promise<void>;
}

/** The part of a Durable Object's state {@link RateLimiterObject} uses (its first constructor argument). */
export interface RateLimiterObjectState {
  /** The object's durable storage (`ctx.storage`), where the states are kept across evictions. */
  readonly storage: RateLimiterStorage;
}

// One policy's state in the object, as stored: the algorithm's integers and when it stops mattering.
interface StoredState extends PolicyState {
  expiresAt: number;
}

const JSON_HEADERS = { "content-type": "application/json" };

const answer = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });

/**
 * The Durable Object behind {@link createDurableObjectStore}: one object per key (the store routes the key
 * to `idFromName`), deciding every request for it one at a time with the same algorithms as the memory
 * store, on its clock. Its state is kept in the object's storage (so it survives eviction) and deleted by an
 * alarm once every allowance is restored. Export it from your Worker and bind it (Wrangler:
 * `durable_objects.bindings = [{ name = "RATE_LIMITER", class_name = "RateLimiterObject" }]`, with a
 * `new_sqlite_classes` migration). It answers only the store's requests; do not route public traffic to it.
 *
 * @example
 * ```ts
 * import { RateLimiterObject } from "@keel/http-security/rate-limit/workers";
 *
 * // A stand-in for the storage Workers gives the object.
 * const data = new Map<string, unknown>();
 * const storage = {
 *   get: async <T>(key: string) => data.get(key) as T | undefined,
 *   list: async <T>() => new Map(data) as Map<string, T>,
 *   put: async <T>(key: string, value: T) => void data.set(key, value),
 *   deleteAll: async () => data.clear(),
 *   setAlarm: async (_time: number) => {},
 * };
 * const object = new RateLimiterObject({ storage });
 * const body = JSON.stringify({ algorithm: "token-bucket", limit: 1, windowMs: 1000, cost: 1 });
 * const consume = () => object.fetch(new Request("https://rate-limiter/consume", { method: "POST", body }));
 * const first = (await (await consume()).json()) as { allowed: boolean };
 * const second = (await (await consume()).json()) as { allowed: boolean };
 * console.assert(first.allowed && !second.allowed);
 * ```
 */
export class RateLimiterObject {
  readonly #storage: RateLimiterStorage;
  #states: Promise<Map<string, StoredState>> | undefined;
  #alarmAt = 0;

  /**
   * Called by the Workers runtime with the object's state (and the Worker's env, unused); throws a
   * `TypeError` when `state` has no storage. Call it yourself only in tests, with a stand-in storage.
   */
  constructor(state: RateLimiterObjectState, _env?: unknown) {
    if (typeof state?.storage?.get !== "function") {
      throw new TypeError("RateLimiterObject: state must be a Durable Object state (with storage)");
    }
    this.#storage = state.storage;
  }

  /** The states of this key, read from storage once, then kept in memory (storage is written through). */
  #load(): Promise<Map<string, StoredState>> {
    this.#states ??= this.#storage.list<StoredState>().then(
      (stored) => new Map(stored),
      (error: unknown) => {
        this.#states = undefined; // a failed read is retried by the next request, not remembered
        throw error;
      },
    );
    return this.#states;
  }

  /** Answers the store's `POST /consume` (`{ algorithm, limit, windowMs, cost }`) and `POST /reset`. */
  async fetch(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method !== "POST") return answer(405, { error: "method not allowed" });
    if (pathname === "/reset") {
      const states = await this.#load();
      states.clear();
      await this.#storage.deleteAll();
      return answer(200, { reset: true });
    }
    if (pathname !== "/consume") return answer(404, { error: "not found" });
    let body: { algorithm?: unknown; limit?: unknown; windowMs?: unknown; cost?: unknown };
    try {
      body = (await request.json()) as typeof body;
    } catch {
      return answer(400, { error: "the body is not JSON" });
    }
    const policy = {
      algorithm: body?.algorithm,
      limit: body?.limit,
      windowMs: body?.windowMs,
    } as RateLimitPolicy;
    const problem = policyProblem(policy, body?.cost as number);
    if (problem !== undefined) return answer(400, { error: problem });
    const states = await this.#load();
    // From here to the decision nothing awaits: requests for this key are decided one at a time.
    const now = Date.now();
    const field = `${policy.algorithm === "sliding-window" ? "s" : "t"}:${policy.limit}:${policy.windowMs}`;
    let state = states.get(field);
    if (state === undefined || state.expiresAt <= now) {
      state = { window: 0, previous: 0, current: 0, at: 0, debt: 0, expiresAt: 0 };
      states.set(field, state);
    }
    const { limit, windowMs } = policy;
    const cost = body.cost as number;
    const decision = runAlgorithm(policy.algorithm, state, limit, windowMs, cost, now);
    state.expiresAt = now + decision.resetMs;
    await this.#storage.put(field, { ...state });
    if (state.expiresAt > this.#alarmAt) {
      this.#alarmAt = state.expiresAt;
      await this.#storage.setAlarm(state.expiresAt);
    }
    return answer(200, decision);
  }

  /** Deletes the stored state once every policy's allowance is restored; else waits for the latest. */
  async alarm(): Promise<void> {
    const states = await this.#load();
    const now = Date.now();
    let latest = 0;
    for (const state of states.values()) latest = Math.max(latest, state.expiresAt);
    if (latest <= now) {
      states.clear();
      this.#alarmAt = 0;
      await this.#storage.deleteAll();
    } else {
      this.#alarmAt = latest;
      await this.#storage.setAlarm(latest);
    }
  }
}

/** A Durable Object stub, as `namespace.get(id)` returns it. */
export interface RateLimiterStub {
  /** Sends the store's request (`POST /consume` or `POST /reset`) to the object. */
  fetch(
    input: string,
    init: { method: string; body?: string; headers?: Record<string, string> },
  ): Promise<Response>;
}

/** A Durable Object namespace binding (`env.RATE_LIMITER`) of {@link RateLimiterObject}. */
export interface RateLimiterNamespace<Id = unknown> {
  /** The id of the object for `name`: the store passes the prefixed key, so one key is one object. */
  idFromName(name: string): Id;
  /** A stub to send requests to the object with that id. */
  get(id: Id): RateLimiterStub;
}

/** Options for {@link createDurableObjectStore}. */
export interface DurableObjectStoreOptions {
  /** Prepended to every key before it names an object (default `"keel:rl:"`). */
  readonly prefix?: string;
  /** The longest wait for the object, in milliseconds (default 5000: a cold object may need a moment). */
  readonly timeoutMs?: number;
}

const DURABLE_OBJECT_STORE_OPTIONS = ["prefix", "timeoutMs"] as const;

function decisionOf(value: unknown, limit: number): RateLimitDecision {
  const decision = value as Partial<Record<keyof RateLimitDecision, unknown>> | null;
  const integers = [decision?.remaining, decision?.resetMs, decision?.retryAfterMs];
  if (
    typeof decision?.allowed !== "boolean" ||
    !integers.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)
  ) {
    throw new TypeError("The rate-limiter object's answer is not a decision");
  }
  return {
    allowed: decision.allowed,
    limit,
    remaining: decision.remaining as number,
    resetMs: decision.resetMs as number,
    retryAfterMs: decision.retryAfterMs as number,
  };
}

async function post(stub: RateLimiterStub, path: string, body: string): Promise<unknown> {
  const response = await stub.fetch(`https://rate-limiter${path}`, {
    method: "POST",
    body,
    headers: JSON_HEADERS,
  });
  if (!response.ok) throw new Error(`The rate-limiter object answered ${response.status}`);
  return response.json();
}

/**
 * Builds an exact rate-limit store on Durable Objects: each key is routed to its own
 * {@link RateLimiterObject} (`namespace.idFromName(prefix + key)`, with `%`, `{`, `}` and lone surrogates
 * escaped, and a key over 512 characters replaced by its SHA-256), which decides every request for it one at a time, so concurrent requests from every location
 * are counted exactly, at the price of a round trip to the object's location. A failure (the object
 * unreachable, overloaded, past `timeoutMs`) is `Err(RateLimitStoreUnavailable)`, never a throw.
 *
 * @example
 * ```ts no-run
 * import { createDurableObjectStore, type RateLimiterNamespace, RateLimiterObject } from "@keel/http-security/rate-limit/workers";
 *
 * export { RateLimiterObject }; // bound as RATE_LIMITER in wrangler.jsonc
 *
 * export default {
 *   async fetch(request: Request, env: { RATE_LIMITER: RateLimiterNamespace }): Promise<Response> {
 *     const store = createDurableObjectStore(env.RATE_LIMITER);
 *     const ip = request.headers.get("cf-connecting-ip") ?? "unknown";
 *     const decision = await store.consume(`login:${ip}`, { algorithm: "sliding-window", limit: 5, windowMs: 60_000 }, 1);
 *     if (decision.isErr()) return new Response("Unavailable", { status: 503 });
 *     return decision.value.allowed ? new Response("ok") : new Response("Too many requests", { status: 429 });
 *   },
 * };
 * ```
 */
export function createDurableObjectStore<Id>(
  namespace: RateLimiterNamespace<Id>,
  options: DurableObjectStoreOptions = {},
): RateLimitStore {
  if (typeof namespace?.idFromName !== "function" || typeof namespace.get !== "function") {
    throw new TypeError("createDurableObjectStore: namespace must be a Durable Object namespace binding");
  }
  refuseUnknownKeys("createDurableObjectStore", options, DURABLE_OBJECT_STORE_OPTIONS);
  const prefix = checkPrefix("createDurableObjectStore", options.prefix ?? "keel:rl:");
  const timeoutMs = checkTimeout("createDurableObjectStore", options.timeoutMs ?? 5000);
  const stubOf = async (key: string): Promise<RateLimiterStub> =>
    namespace.get(namespace.idFromName(prefix + (await storeKeyName(key))));
  return {
    async consume(key, policy, cost) {
      const problem = typeof key === "string" ? policyProblem(policy, cost) : "key must be a string";
      if (problem !== undefined) return contractViolation(problem);
      const body = JSON.stringify({
        algorithm: policy.algorithm,
        limit: policy.limit,
        windowMs: policy.windowMs,
        cost,
      });
      return settle(timeoutMs, "The rate-limiter object", async () =>
        decisionOf(await post(await stubOf(key), "/consume", body), policy.limit),
      );
    },
    async reset(key) {
      if (typeof key !== "string") return contractViolation("key must be a string");
      const done = await settle(timeoutMs, "The rate-limiter object", async () =>
        post(await stubOf(key), "/reset", "{}"),
      );
      return done.map(() => undefined);
    },
  };
}
