/**
 * A rate-limit store on Redis: each decision is one Lua script, run atomically by the server on its own
 * clock (`TIME`), in one round trip (`EVALSHA`, and `EVAL` once when the server has lost the script). The
 * client is the user's (ioredis, node-redis, Bun's, or anything with `evalsha`/`eval`), seen through a tiny
 * adapter, so this module imports no Redis library.
 *
 * @module
 */

import { optionChecker, refuseUnknownKeys } from "../_internal/options.ts";
import { policyProblem } from "./algorithms.ts";
import { checkPrefix, checkTimeout, contractViolation, settle, storeKeyName } from "./shared-store.ts";
import type { RateLimitDecision, RateLimitStore } from "./store.ts";

/**
 * What the Redis store needs from a client: run a Lua script by its SHA1 and by its text, with `keys` and
 * `args` (both strings), resolving with the server's reply or rejecting with its error (a `NOSCRIPT` error
 * is recognised by its message). `ioredisClient`, `nodeRedisClient` and `bunRedisClient` build one; the
 * `@upstash/redis` client has this shape already.
 */
export interface RedisScriptClient {
  /** `EVALSHA`: runs the script the server has cached under `sha`; rejects with `NOSCRIPT` if it has not. */
  evalsha(sha: string, keys: readonly string[], args: readonly string[]): Promise<unknown>;
  /** `EVAL`: runs the script from its text (and caches it); used once after a `NOSCRIPT`. */
  eval(script: string, keys: readonly string[], args: readonly string[]): Promise<unknown>;
}

/** The part of an ioredis `Redis` or `Cluster` that {@link ioredisClient} uses. */
export interface IoredisLike {
  /** ioredis's `evalsha`: the key count, then the keys and arguments in one list. */
  evalsha(sha: string, numberOfKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  /** ioredis's `eval`, in the same argument order as `evalsha`. */
  eval(script: string, numberOfKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
}

/** The part of a node-redis (`redis` 5 or 6) client or cluster that {@link nodeRedisClient} uses. */
export interface NodeRedisLike {
  /** node-redis's `evalSha`, with the keys and arguments as options. */
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** node-redis's `eval`, with the keys and arguments as options. */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** The part of Bun's `RedisClient` (`Bun.redis`, `new Bun.RedisClient(url)`) that {@link bunRedisClient} uses. */
export interface BunRedisLike {
  /** Sends a raw command with its arguments: the adapter sends `EVALSHA` and, after a `NOSCRIPT`, `EVAL`. */
  send(command: string, args: string[]): Promise<unknown>;
}

/**
 * Adapts an ioredis client (`new Redis(url)`, or a `Cluster`: the script's one key routes it) for
 * {@link createRedisStore}. Set `maxRetriesPerRequest` (or `enableOfflineQueue: false`) on the client to
 * fail fast when Redis is down; the store's `timeoutMs` bounds each decision in any case.
 *
 * @example
 * ```ts
 * import { ioredisClient } from "@keel/http-security/rate-limit/redis";
 *
 * const calls: unknown[][] = [];
 * const fake = {
 *   evalsha: async (...args: unknown[]) => calls.push(args),
 *   eval: async (...args: unknown[]) => calls.push(args),
 * };
 * await ioredisClient(fake).evalsha("0123", ["k"], ["a", "b"]);
 * console.assert(JSON.stringify(calls[0]) === JSON.stringify(["0123", 1, "k", "a", "b"]));
 * ```
 */
export function ioredisClient(redis: IoredisLike): RedisScriptClient {
  if (typeof redis?.evalsha !== "function" || typeof redis.eval !== "function") {
    throw new TypeError("ioredisClient: redis must be an ioredis client (with evalsha and eval)");
  }
  return {
    evalsha: (sha, keys, args) => redis.evalsha(sha, keys.length, ...keys, ...args),
    eval: (script, keys, args) => redis.eval(script, keys.length, ...keys, ...args),
  };
}

/**
 * Adapts a node-redis client (`createClient({ url })`, connected, or a cluster) for {@link createRedisStore}.
 *
 * @example
 * ```ts
 * import { nodeRedisClient } from "@keel/http-security/rate-limit/redis";
 *
 * const calls: unknown[][] = [];
 * const fake = {
 *   evalSha: async (...args: unknown[]) => calls.push(args),
 *   eval: async (...args: unknown[]) => calls.push(args),
 * };
 * await nodeRedisClient(fake).evalsha("0123", ["k"], ["a"]);
 * console.assert(JSON.stringify(calls[0]) === JSON.stringify(["0123", { keys: ["k"], arguments: ["a"] }]));
 * ```
 */
export function nodeRedisClient(client: NodeRedisLike): RedisScriptClient {
  if (typeof client?.evalSha !== "function" || typeof client.eval !== "function") {
    throw new TypeError("nodeRedisClient: client must be a node-redis client (with evalSha and eval)");
  }
  return {
    evalsha: (sha, keys, args) => client.evalSha(sha, { keys: [...keys], arguments: [...args] }),
    eval: (script, keys, args) => client.eval(script, { keys: [...keys], arguments: [...args] }),
  };
}

/**
 * Adapts Bun's built-in client (`Bun.redis`, or `new Bun.RedisClient(url)`) for {@link createRedisStore},
 * through its `send(command, args)`.
 *
 * @example
 * ```ts
 * import { bunRedisClient } from "@keel/http-security/rate-limit/redis";
 *
 * const sent: unknown[] = [];
 * const fake = { send: async (command: string, args: string[]) => sent.push([command, ...args]) };
 * await bunRedisClient(fake).evalsha("0123", ["k"], ["a"]);
 * console.assert(JSON.stringify(sent[0]) === JSON.stringify(["EVALSHA", "0123", "1", "k", "a"]));
 * ```
 */
export function bunRedisClient(client: BunRedisLike): RedisScriptClient {
  if (typeof client?.send !== "function") {
    throw new TypeError("bunRedisClient: client must be a Bun RedisClient (with send)");
  }
  return {
    evalsha: (sha, keys, args) => client.send("EVALSHA", [sha, String(keys.length), ...keys, ...args]),
    eval: (script, keys, args) => client.send("EVAL", [script, String(keys.length), ...keys, ...args]),
  };
}

/** Options for {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** The client, through an adapter: `ioredisClient(redis)`, `nodeRedisClient(client)`, `bunRedisClient(client)`. */
  readonly client: RedisScriptClient;
  /**
   * Prepended to every Redis key (default `"keel:rl:"`). No `{` or `}`: the key proper follows in a Cluster
   * hash tag, `keel:rl:{user:42}`. Give each application its own prefix on a shared Redis.
   */
  readonly prefix?: string;
  /**
   * The longest wait for Redis, in milliseconds (default 1000): past it the decision is
   * `Err(RateLimitStoreUnavailable)` and the limiter fails open or closed as configured. (The script may
   * still run on the server later and count the request: a late count errs on the safe side.)
   */
  readonly timeoutMs?: number;
}

/** A {@link RateLimitStore} on Redis, built by {@link createRedisStore}. */
export interface RedisStore extends RateLimitStore {
  /**
   * The Redis key that holds `key`'s state (every policy of it, one hash field each), for operators:
   * `<prefix>{<key>}` with the key escaped, or named by its SHA-256 when longer than 512 characters.
   */
  redisKey(key: string): Promise<string>;
}

/**
 * The whole decision, run atomically by Redis. It mirrors `_internal/rate-limit-algorithms.ts` line for line
 * (read `rate-limit-store.ts` for the rules): integers only, exact below 2^53 in Lua's doubles, stored with
 * `%d`. KEYS[1] is the key's hash, one field per policy (`s:<limit>:<windowMs>` or `t:<limit>:<windowMs>`);
 * ARGV is `op, limit, windowMs, cost`, `op` being `s` (sliding window), `t` (token bucket) or `r` (reset).
 * The hash lives at least as long as its longest-lived state, plus 1 ms because Redis times expiry from
 * its own snapshot of the clock, which may be a millisecond behind `TIME` (PEXPIRE only ever lengthens it);
 * a stale field decides as an absent one. The reply is `{allowed, remaining, resetMs, retryAfterMs, now}` (`now`, the clock the
 * decision used, lets a test replay it on the reference functions).
 */
const RATE_LIMIT_SCRIPT = `local key = KEYS[1]
local op = ARGV[1]
if op == "r" then
  redis.call("DEL", key)
  return 1
end
local limit = tonumber(ARGV[2])
local windowMs = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local time = redis.call("TIME")
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local field = op .. ":" .. ARGV[2] .. ":" .. ARGV[3]
local raw = redis.call("HGET", key, field)
local ceiling = limit * windowMs
local allowed, remaining, resetMs, retryAfterMs, value
if op == "s" then
  local w = math.floor(now / windowMs)
  local e = now - w * windowMs
  local window, previous, current = w, 0, 0
  if raw then
    local a, b, c = string.match(raw, "^(%d+):(%d+):(%d+)$")
    if not a then return redis.error_reply("rate-limit state is malformed") end
    window, previous, current = tonumber(a), tonumber(b), tonumber(c)
  end
  if window > w then
    w = window
    e = 0
  elseif window ~= w then
    if window == w - 1 then previous = current else previous = 0 end
    current = 0
    window = w
  end
  local scaled = previous * (windowMs - e) + current * windowMs
  allowed = scaled + cost * windowMs <= ceiling
  retryAfterMs = 0
  if allowed then
    current = current + cost
    scaled = scaled + cost * windowMs
  else
    local left = windowMs - e
    local d = -1
    if current + cost <= limit and previous > 0 then
      d = left - math.floor(((limit - cost - current) * windowMs) / previous)
      if d >= left then d = -1 end
    end
    if d < 0 then
      d = left
      if current ~= 0 then
        d = d + math.max(0, windowMs - math.floor(((limit - cost) * windowMs) / current))
      end
    end
    retryAfterMs = d
  end
  if scaled >= ceiling then remaining = 0 else remaining = math.floor((ceiling - scaled) / windowMs) end
  if current > 0 then resetMs = 2 * windowMs - e elseif previous > 0 then resetMs = windowMs - e else resetMs = 0 end
  value = string.format("%d:%d:%d", window, previous, current)
elseif op == "t" then
  local stateAt, debt = now, 0
  if raw then
    local a, b = string.match(raw, "^(%d+):(%d+)$")
    if not a then return redis.error_reply("rate-limit state is malformed") end
    stateAt, debt = tonumber(a), tonumber(b)
  end
  local at = stateAt
  if now > stateAt then at = now end
  local debt0 = math.max(0, debt - (at - stateAt) * limit)
  local debtNew = debt0 + cost * windowMs
  allowed = debtNew <= ceiling
  if allowed then debt = debtNew else debt = debt0 end
  remaining = math.floor((ceiling - debt) / windowMs)
  resetMs = math.ceil(debt / limit)
  if allowed then retryAfterMs = 0 else retryAfterMs = math.ceil((debtNew - ceiling) / limit) end
  value = string.format("%d:%d", at, debt)
else
  return redis.error_reply("unknown rate-limit operation")
end
redis.call("HSET", key, field, value)
local ttl = redis.call("PTTL", key)
if resetMs + 1 > ttl then
  redis.call("PEXPIRE", key, resetMs + 1)
end
if allowed then allowed = 1 else allowed = 0 end
return {allowed, remaining, resetMs, retryAfterMs, now}`;

let scriptSha: Promise<string> | undefined;

/** The script's SHA1 (what EVALSHA names it by), computed once with Web Crypto. */
function sha1OfScript(): Promise<string> {
  scriptSha ??= crypto.subtle
    .digest("SHA-1", new TextEncoder().encode(RATE_LIMIT_SCRIPT))
    .then((digest) =>
      Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join(""),
    );
  return scriptSha;
}

const isNoScript = (error: unknown): boolean =>
  typeof (error as { message?: unknown } | null)?.message === "string" &&
  /^(?:ERR )?NOSCRIPT\b/.test((error as { message: string }).message);

function decisionOf(reply: unknown, limit: number): RateLimitDecision {
  if (!Array.isArray(reply) || reply.length !== 5 || !reply.every((item) => Number.isSafeInteger(item))) {
    throw new TypeError("The rate-limit script's reply is not five integers");
  }
  const [allowed, remaining, resetMs, retryAfterMs] = reply as [number, number, number, number];
  return { allowed: allowed === 1, limit, remaining, resetMs, retryAfterMs };
}

const REDIS_STORE_OPTIONS = ["client", "prefix", "timeoutMs"] as const;

const fail = optionChecker("createRedisStore");

/**
 * Builds a rate-limit store on Redis. Each decision is one atomic Lua script on the server's clock, one
 * round trip (`EVALSHA`; on `NOSCRIPT`, after a restart or a `SCRIPT FLUSH`, one `EVAL` that also reloads
 * it), exact under any concurrency across processes. A key's state lives in one hash, `<prefix>{<key>}`
 * (the key in a hash tag, so it works on Redis Cluster, with `%`, `{`, `}` and lone surrogates escaped, and
 * a key over 512 characters replaced by its SHA-256),
 * which expires when the allowance is fully restored. A failure (connection refused, a timeout, an error
 * reply) is `Err(RateLimitStoreUnavailable)`, never a throw: the limiter fails open or closed as you chose.
 * Needs Redis 5 or later (scripts replicated by their effects, so `TIME` may precede writes).
 *
 * @example
 * ```ts
 * import { createRedisStore, type RedisScriptClient } from "@keel/http-security/rate-limit/redis";
 *
 * // A stand-in for ioredisClient(new Redis(url)): Redis is unreachable, so every decision is an Err.
 * const down: RedisScriptClient = {
 *   evalsha: async () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:6379")),
 *   eval: async () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:6379")),
 * };
 * const store = createRedisStore({ client: down, prefix: "shop:rl:" });
 * console.assert((await store.redisKey("login:ada")) === "shop:rl:{login:ada}");
 * const decision = await store.consume("login:ada", { algorithm: "sliding-window", limit: 5, windowMs: 60_000 }, 1);
 * console.assert(decision.isErr() && decision.error._tag === "RateLimitStoreUnavailable");
 * ```
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  if (typeof options !== "object" || options === null) fail("options", "must be an object");
  refuseUnknownKeys("createRedisStore", options, REDIS_STORE_OPTIONS);
  const { client, prefix = "keel:rl:", timeoutMs = 1000 } = options;
  if (typeof client?.evalsha !== "function" || typeof client.eval !== "function") {
    fail("client", "must have evalsha and eval (use ioredisClient, nodeRedisClient or bunRedisClient)");
  }
  checkPrefix("createRedisStore", prefix);
  checkTimeout("createRedisStore", timeoutMs);
  let sha: string | undefined;

  async function run(keys: readonly string[], args: readonly string[]): Promise<unknown> {
    sha ??= await sha1OfScript();
    try {
      return await client.evalsha(sha, keys, args);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      // The server lost its script cache (restart, failover, SCRIPT FLUSH): EVAL runs and reloads it.
      return await client.eval(RATE_LIMIT_SCRIPT, keys, args);
    }
  }

  // The key's name is computed inside the bounded task too: nothing here can throw or reject.
  const call = <T>(key: string, args: readonly string[], read: (reply: unknown) => T) =>
    settle(timeoutMs, "Redis", async () => read(await run([await redisKey(key)], args)));

  const redisKey = async (key: string): Promise<string> => `${prefix}{${await storeKeyName(key)}}`;

  return {
    redisKey,
    async consume(key, policy, cost) {
      const problem = typeof key === "string" ? policyProblem(policy, cost) : "key must be a string";
      if (problem !== undefined) return contractViolation(problem);
      const op = policy.algorithm === "sliding-window" ? "s" : "t";
      return call(key, [op, String(policy.limit), String(policy.windowMs), String(cost)], (reply) =>
        decisionOf(reply, policy.limit),
      );
    },
    async reset(key) {
      if (typeof key !== "string") return contractViolation("key must be a string");
      return call(key, ["r"], () => undefined);
    },
  };
}
