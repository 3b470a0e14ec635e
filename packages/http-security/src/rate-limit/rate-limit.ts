/**
 * Rate limiters over a {@link RateLimitStore}: a policy checked once at set-up, keys namespaced by the
 * limiter's name, the failure mode chosen for a store that cannot decide, and the IETF `RateLimit` /
 * `RateLimit-Policy` headers (draft-ietf-httpapi-ratelimit-headers-09) with `Retry-After`. Also the key
 * helpers (escaped parts, client addresses grouped by `ipNetwork`) and the login preset.
 *
 * @module
 */
import { err, ok } from "@keel/result";
import type { Result } from "../_internal/external-types.ts";
import { optionChecker, refuseUnknownKeys } from "../_internal/options.ts";
import { type IpNetworkOptions, ipNetwork } from "../client-ip/client-ip.ts";
import { policyProblem } from "./algorithms.ts";
import { type RateLimitError, RateLimited, RateLimitStoreUnavailable } from "./errors.ts";
import { memoryStoreInternals } from "./memory-store-internals.ts";
import { MAX_PLAIN_KEY, storeKeyName } from "./shared-store.ts";
import type { RateLimitAlgorithm, RateLimitDecision, RateLimitPolicy, RateLimitStore } from "./store.ts";

/** Options for {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Where the counts live: `createMemoryStore()`, a Redis store, a Workers store. */
  readonly store: RateLimitStore;
  /** Units admitted per window (the token bucket's burst). A whole number >= 1. */
  readonly limit: number;
  /** The window in milliseconds, a whole number >= 1 (`limit * windowMs <= 2^50`). */
  readonly windowMs: number;
  /** `"sliding-window"` (default) or `"token-bucket"` (GCRA). */
  readonly algorithm?: RateLimitAlgorithm;
  /**
   * The policy's name: it namespaces every key (limiters sharing a store and a name share counts) and names
   * the policy in the headers. 1 to 64 of `A-Z a-z 0-9 _ . -`; `"default"` by default.
   */
  readonly name?: string;
  /**
   * What a check answers when the store cannot decide: `"closed"` (the default) refuses with
   * `RateLimitStoreUnavailable` (503), the safe choice for logins and anything an attacker would hammer
   * while the store is down; `"open"` admits the request, marks the check `unavailable` and reports the
   * failure to `onStoreError`, for limits that protect capacity rather than secrets.
   */
  readonly failure?: "closed" | "open";
  /** Called with every store failure, in both modes (log it, count it). Must not throw. */
  readonly onStoreError?: (error: RateLimitStoreUnavailable) => void;
}

/** An admitted check: the store's decision, the policy's name and window, and whether the store failed open. */
export interface RateLimitCheck extends RateLimitDecision {
  /** Always `true`: a refusal is the `RateLimited` error instead, so an `Ok` check is always an admission. */
  readonly allowed: true;
  /** The limiter's name. */
  readonly policy: string;
  /** Set when the store could not decide and the limiter fails open: the request was admitted uncounted. */
  readonly unavailable?: RateLimitStoreUnavailable;
}

/** A limiter built by {@link createRateLimiter}. */
export interface RateLimiter {
  /** The limiter's name (the keys' namespace and the policy's name in the headers). */
  readonly name: string;
  /** The policy the store applies. */
  readonly policy: RateLimitPolicy;
  /** The failure mode. */
  readonly failure: "closed" | "open";
  /**
   * Counts `cost` (default 1, a whole number from 1 to the limit, else a `TypeError`) for `key`. `Ok` when
   * admitted; `Err(RateLimited)` when over the limit; `Err(RateLimitStoreUnavailable)` when the store
   * failed and the limiter fails closed. Never rejects otherwise.
   */
  check(key: string, cost?: number): Promise<Result<RateLimitCheck, RateLimitError>>;
  /** Forgets `key`'s counts. */
  reset(key: string): Promise<Result<void, RateLimitStoreUnavailable>>;
  /**
   * The response headers for a check or a refusal: `RateLimit-Policy` and `RateLimit` (seconds rounded
   * up), and `Retry-After` (seconds, rounded up) on a refusal. Only `RateLimit-Policy` when the store failed.
   */
  headers(outcome: RateLimitCheck | RateLimited | RateLimitStoreUnavailable): Record<string, string>;
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const RATE_LIMITER_OPTIONS = [
  "store",
  "limit",
  "windowMs",
  "algorithm",
  "name",
  "failure",
  "onStoreError",
] as const;
const LOGIN_LIMITER_OPTIONS = [
  "store",
  "limit",
  "windowMs",
  "ipLimit",
  "accountLimit",
  "failure",
  "onStoreError",
  "ip",
  "name",
] as const;
const BAD_CALL = "rate limiter: the key must be a string, the cost a whole number from 1 to the limit";

const seconds = (ms: number): number => Math.ceil(ms / 1000);

const count = (n: unknown): boolean => Number.isSafeInteger(n) && (n as number) >= 0;

/** What a store's `Ok` must hold: the headers print these numbers. */
const isDecision = (d: RateLimitDecision | null | undefined): boolean =>
  typeof d?.allowed === "boolean" && count(d.remaining) && count(d.resetMs) && count(d.retryAfterMs);

// A long key is named by its SHA-256 (storeKeyName), so it neither grows memory nor shares a count. Keys
// starting with "%" go the same way (escaped, `%25...`), so no plain key can pose as such a name.
const needsName = (key: string): boolean => key.length > MAX_PLAIN_KEY || key.startsWith("%");

/**
 * Builds a rate limiter; every option is checked here (a `TypeError` naming the option), none per request.
 *
 * @example
 * ```ts
 * import { createMemoryStore, createRateLimiter, rateLimitKey } from "@keel/http-security/rate-limit";
 *
 * const store = createMemoryStore({ now: () => 0 }); // a still clock, for the example's exact figures
 * const limiter = createRateLimiter({ store, limit: 2, windowMs: 60_000, name: "api" });
 * const key = rateLimitKey("user", "42");
 * const first = await limiter.check(key);
 * console.assert(first.isOk() && first.value.remaining === 1);
 * if (first.isOk()) console.assert(limiter.headers(first.value)["RateLimit"] === '"api";r=1;t=120');
 * await limiter.check(key);
 * const third = await limiter.check(key);
 * console.assert(third.isErr() && third.error._tag === "RateLimited");
 * if (third.isErr()) console.assert(limiter.headers(third.error)["Retry-After"] === "90");
 * ```
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const fail = optionChecker("createRateLimiter");
  if (typeof options !== "object" || options === null) fail("options", "must be an object");
  refuseUnknownKeys("createRateLimiter", options, RATE_LIMITER_OPTIONS);
  const {
    store,
    limit,
    windowMs,
    algorithm = "sliding-window",
    name = "default",
    failure = "closed",
    onStoreError,
  } = options;
  if (typeof store?.consume !== "function" || typeof store.reset !== "function") {
    fail("store", "must be a rate-limit store (consume and reset)");
  }
  if (typeof name !== "string" || !NAME.test(name)) fail("name", "must be 1 to 64 of A-Z a-z 0-9 _ . -");
  if (failure !== "closed" && failure !== "open") fail("failure", 'must be "closed" or "open"');
  if (onStoreError !== undefined && typeof onStoreError !== "function")
    fail("onStoreError", "must be a function");
  const policy: RateLimitPolicy = Object.freeze({ algorithm, limit, windowMs });
  // A store that cannot apply the policy at all (a Rate Limiting binding has a period of 10 or 60 s) says so
  // now, naming the option, rather than failing every request.
  const problem = policyProblem(policy, 1) ?? store.policyProblem?.(policy);
  if (typeof problem === "string") {
    fail(problem.slice(0, problem.indexOf(" ")), problem.slice(problem.indexOf(" ") + 1));
  }
  const prefix = `${name}:`;
  const policyHeader = `"${name}";q=${limit};w=${seconds(windowMs)}`;

  const report = (error: RateLimitStoreUnavailable): void => {
    try {
      onStoreError?.(error);
    } catch {
      // A reporter that throws must not turn a decision into an exception.
    }
  };
  const unavailable = (cause: unknown): RateLimitStoreUnavailable =>
    cause instanceof RateLimitStoreUnavailable ? cause : new RateLimitStoreUnavailable({ cause });

  const failed = (cause: unknown): Result<RateLimitCheck, RateLimitError> => {
    const error = unavailable(cause);
    report(error);
    if (failure === "closed") return err(error);
    return ok({
      allowed: true,
      policy: name,
      limit,
      remaining: limit,
      resetMs: 0,
      retryAfterMs: 0,
      unavailable: error,
    });
  };
  const settle = (decision: RateLimitDecision): Result<RateLimitCheck, RateLimitError> => {
    const { allowed, remaining, resetMs, retryAfterMs } = decision;
    if (!allowed) return err(new RateLimited({ policy: name, limit, remaining, resetMs, retryAfterMs }));
    return ok({ allowed: true, policy: name, limit, remaining, resetMs, retryAfterMs: 0 });
  };
  // A memory store decides synchronously (one settled Promise instead of two), with the name beside the key.
  const memory = memoryStoreInternals.get(store);

  async function checkAsync(key: string, cost: number): Promise<Result<RateLimitCheck, RateLimitError>> {
    let decision: RateLimitDecision;
    try {
      const outcome = await store.consume(prefix + key, policy, cost);
      if (!outcome.isOk()) return failed(outcome.error);
      decision = outcome.value;
      if (!isDecision(decision)) throw new TypeError("rate limiter: the store's answer is not a decision");
    } catch (cause) {
      // A store breaking the contract (throwing, or answering something else than a Result of a
      // decision) is a store failure, not a pass.
      return failed(cause);
    }
    return settle(decision);
  }

  function check(key: string, cost = 1): Promise<Result<RateLimitCheck, RateLimitError>> {
    if (typeof key !== "string" || !(cost >= 1 && cost <= limit && Number.isSafeInteger(cost))) {
      return Promise.reject(new TypeError(BAD_CALL));
    }
    return needsName(key) ? storeKeyName(key).then((name) => decide(name, cost)) : decide(key, cost);
  }

  function decide(key: string, cost: number): Promise<Result<RateLimitCheck, RateLimitError>> {
    if (memory === undefined) return checkAsync(key, cost);
    let decision: RateLimitDecision;
    try {
      decision = memory.consume(name, key, policy, cost);
    } catch (cause) {
      return Promise.resolve(failed(cause));
    }
    return Promise.resolve(settle(decision));
  }

  async function reset(input: string): Promise<Result<void, RateLimitStoreUnavailable>> {
    if (typeof input !== "string") throw new TypeError(BAD_CALL);
    const key = needsName(input) ? await storeKeyName(input) : input;
    if (memory !== undefined) {
      memory.reset(name, key);
      return ok(undefined);
    }
    let reason: unknown;
    try {
      const outcome = await store.reset(prefix + key);
      if (outcome.isOk()) return ok(undefined);
      reason = outcome.error;
    } catch (cause) {
      reason = cause;
    }
    const error = unavailable(reason);
    report(error);
    return err(error);
  }

  function headers(
    outcome: RateLimitCheck | RateLimited | RateLimitStoreUnavailable,
  ): Record<string, string> {
    const fields: Record<string, string> = { "RateLimit-Policy": policyHeader };
    if (
      outcome instanceof RateLimitStoreUnavailable ||
      (outcome as RateLimitCheck).unavailable !== undefined
    ) {
      return fields;
    }
    const { remaining, resetMs, retryAfterMs } = outcome as RateLimitCheck | RateLimited;
    fields.RateLimit = `"${name}";r=${remaining};t=${seconds(resetMs)}`;
    if (outcome instanceof RateLimited) fields["Retry-After"] = String(Math.max(1, seconds(retryAfterMs)));
    return fields;
  }

  return { name, policy, failure, check, reset, headers };
}

/**
 * Joins key parts unambiguously: `%` and `:` inside a part are percent-encoded before the parts are joined
 * with `:`, so `("a:b", "c")` and `("a", "b:c")` make different keys. Use a first part naming the kind
 * (`"user"`, `"tenant"`, `"route"`) so that kinds cannot collide either.
 *
 * @example
 * ```ts
 * import { rateLimitKey } from "@keel/http-security/rate-limit";
 * console.assert(rateLimitKey("route", "POST /login", "user", "a:b") === "route:POST /login:user:a%3Ab");
 * console.assert(rateLimitKey("a:b", "c") !== rateLimitKey("a", "b:c"));
 * ```
 */
export function rateLimitKey(...parts: readonly string[]): string {
  let key = "";
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (typeof part !== "string") throw new TypeError("rateLimitKey: every part must be a string");
    key += (i === 0 ? "" : ":") + (/[%:]/.test(part) ? part.replace(/%/g, "%25").replace(/:/g, "%3A") : part);
  }
  return key;
}

/**
 * The key of a client address: `"ip:"` and its `ipNetwork` group (IPv4-mapped IPv6 as IPv4, IPv6 by its /56
 * by default), so that every address one subscriber controls shares one count. `"ip:unknown"` (one count
 * shared by every such request) when the address is missing or not an IP address: a missing client address
 * (a proxy not configured as trusted, Workers without `trustCloudflare`) must not mean "not limited".
 *
 * @example
 * ```ts
 * import { ipRateLimitKey } from "@keel/http-security/rate-limit";
 * console.assert(ipRateLimitKey("::ffff:192.0.2.7") === ipRateLimitKey("192.0.2.7"));
 * console.assert(ipRateLimitKey("2001:db8:0:1::1") === ipRateLimitKey("2001:db8:0:ff::2")); // one /56
 * console.assert(ipRateLimitKey(undefined) === "ip:unknown");
 * ```
 */
export function ipRateLimitKey(address: string | undefined, options?: IpNetworkOptions): string {
  if (address === undefined) return "ip:unknown";
  const key = ipNetwork(address, options);
  return key.isOk() ? `ip:${key.value}` : "ip:unknown";
}

/** Options for {@link createLoginLimiter}. */
export interface LoginLimiterOptions {
  /** Where the counts live (the same store for every app process: Redis or a Durable Object in production). */
  readonly store: RateLimitStore;
  /** Attempts per window on one account from one client address (network); default 5. */
  readonly limit?: number;
  /** The window of all three counts, default 60,000 ms. */
  readonly windowMs?: number;
  /** Attempts per window from one client address (network), whatever the account; default `limit`. */
  readonly ipLimit?: number;
  /**
   * Attempts per window on one account, from every address together; default `20 * limit` (100). The
   * ceiling a distributed guessing attack meets; at least `limit`, or any one address could lock the
   * account out again.
   */
  readonly accountLimit?: number;
  /** `"closed"` by default: a login is refused (503) while the store cannot count attempts. */
  readonly failure?: "closed" | "open";
  /** Called with every store failure. */
  readonly onStoreError?: (error: RateLimitStoreUnavailable) => void;
  /** Groups client addresses (default: IPv6 by /56, IPv4 alone). */
  readonly ip?: IpNetworkOptions;
  /**
   * The name prefix of the three policies (`"<name>-ip"`, `"<name>-account-ip"`, `"<name>-account"`);
   * default `"login"`.
   */
  readonly name?: string;
}

/** The two sides of a login attempt: the account name as typed, and the client's address. */
export interface LoginAttempt {
  /** The account name as the user typed it; {@link accountRateLimitKey} folds case and look-alikes. */
  readonly account: string;
  /** The client's address (`c.var.clientIp`); `undefined` counts every unknown client as one address. */
  readonly ip: string | undefined;
}

/** A login limiter built by {@link createLoginLimiter}. */
export interface LoginLimiter {
  /** Per client address (network), any account: `ipLimit`. */
  readonly ip: RateLimiter;
  /** Per account and client address (network): `limit`. */
  readonly accountIp: RateLimiter;
  /** Per account, every address together: the ceiling `accountLimit`. */
  readonly account: RateLimiter;
  /**
   * Counts one attempt, BEFORE the password is checked: against the address, then the account from that
   * address, then the account's ceiling; a count that refuses stops the later ones (an address over its
   * limit adds nothing to the account's counts). `Err(RateLimited)` means: do not check the password,
   * answer 429. Counting first, rather than after a failure, is what makes concurrent guesses count: a
   * check-then-record scheme lets a burst of parallel guesses all pass the check.
   */
  attempt(attempt: LoginAttempt): Promise<Result<RateLimitCheck, RateLimitError>>;
  /**
   * After a correct password: forgets the account's attempts (from this address, and its ceiling), so only
   * failures accumulate. The address's own count is kept, or an attacker could clear it by logging into an
   * account of their own between guesses.
   */
  recordSuccess(attempt: LoginAttempt): Promise<Result<void, RateLimitStoreUnavailable>>;
  /** The headers for an attempt's outcome (the policy that decided it). */
  headers(outcome: RateLimitCheck | RateLimited | RateLimitStoreUnavailable): Record<string, string>;
}

/**
 * The account key: NFKC, trimmed, lower-cased, so that `Alice`, ` alice ` and `ａｌｉｃｅ` (full-width) count
 * as one account. Merging look-alikes only ever makes the limit stricter.
 *
 * @example
 * ```ts
 * import { accountRateLimitKey } from "@keel/http-security/rate-limit";
 * console.assert(accountRateLimitKey(" Alice@Example.COM ") === accountRateLimitKey("alice@example.com"));
 * console.assert(accountRateLimitKey("ｂｏｂ") === accountRateLimitKey("bob"));
 * ```
 */
export function accountRateLimitKey(account: string): string {
  if (typeof account !== "string") throw new TypeError("accountRateLimitKey: the account must be a string");
  return rateLimitKey("account", account.normalize("NFKC").trim().toLowerCase());
}

/**
 * The login preset, counted before the password is checked: 5 attempts a minute on one account from one
 * client address, 5 a minute from one address whatever the account, and a ceiling of 100 a minute on one
 * account from every address together. Failures from other addresses do not lock the real user out: an
 * attacker needs 20 addresses (networks) and 100 attempts a minute to reach the ceiling. An account's
 * attempts are forgotten on a successful login.
 *
 * @example
 * ```ts
 * import { createLoginLimiter, createMemoryStore } from "@keel/http-security/rate-limit";
 *
 * const login = createLoginLimiter({ store: createMemoryStore() });
 * const verify = async (account: string, password: string): Promise<boolean> => password === "right";
 *
 * async function signIn(account: string, password: string, ip: string): Promise<number> {
 *   const attempt = await login.attempt({ account, ip });
 *   if (attempt.isErr()) return attempt.error._tag === "RateLimited" ? 429 : 503; // password not checked
 *   if (!(await verify(account, password))) return 401;
 *   await login.recordSuccess({ account, ip });
 *   return 200;
 * }
 *
 * for (let i = 0; i < 5; i++) console.assert((await signIn("alice", "wrong", "198.51.100.1")) === 401);
 * console.assert((await signIn("alice", "right", "198.51.100.1")) === 429); // 6th from that address
 * console.assert((await signIn("bob", "right", "198.51.100.1")) === 429); // the address's 6th, any account
 * console.assert((await signIn("Alice", "right", "203.0.113.5")) === 200); // the real user, elsewhere
 * ```
 */
export function createLoginLimiter(options: LoginLimiterOptions): LoginLimiter {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("createLoginLimiter: options must be an object");
  }
  refuseUnknownKeys("createLoginLimiter", options, LOGIN_LIMITER_OPTIONS);
  const {
    store,
    limit = 5,
    windowMs = 60_000,
    ipLimit = limit,
    accountLimit = 20 * limit,
    failure = "closed",
    onStoreError,
    name = "login",
  } = options;
  const fail = optionChecker("createLoginLimiter");
  const counts = { limit, ipLimit, accountLimit, windowMs };
  for (const [option, value] of Object.entries(counts)) {
    if (!Number.isSafeInteger(value) || value < 1) fail(option, "must be a whole number >= 1");
  }
  if (accountLimit < limit) {
    fail("accountLimit", "must be at least limit (below it, one address could lock the account out)");
  }
  const ipOptions = options.ip ?? {};
  ipNetwork("127.0.0.1", ipOptions); // checks the prefixes now, not on the first request
  const common = { store, windowMs, failure, ...(onStoreError === undefined ? {} : { onStoreError }) };
  const ip = createRateLimiter({ ...common, limit: ipLimit, name: `${name}-ip` });
  const accountIp = createRateLimiter({ ...common, limit, name: `${name}-account-ip` });
  const account = createRateLimiter({ ...common, limit: accountLimit, name: `${name}-account` });

  async function attempt(input: LoginAttempt): Promise<Result<RateLimitCheck, RateLimitError>> {
    const accountKey = accountRateLimitKey(input.account);
    const ipKey = ipRateLimitKey(input.ip, ipOptions);
    const byIp = await ip.check(ipKey);
    if (byIp.isErr()) return byIp;
    const byPair = await accountIp.check(rateLimitKey(accountKey, ipKey));
    if (byPair.isErr()) return byPair;
    const byAccount = await account.check(accountKey);
    if (byAccount.isErr()) return byAccount;
    // Report the tightest of the three.
    let tightest = byIp.value;
    if (byPair.value.remaining < tightest.remaining) tightest = byPair.value;
    if (byAccount.value.remaining < tightest.remaining) tightest = byAccount.value;
    return ok(tightest);
  }

  async function recordSuccess(input: LoginAttempt): Promise<Result<void, RateLimitStoreUnavailable>> {
    const accountKey = accountRateLimitKey(input.account);
    const pair = await accountIp.reset(rateLimitKey(accountKey, ipRateLimitKey(input.ip, ipOptions)));
    const ceiling = await account.reset(accountKey);
    return pair.isErr() ? pair : ceiling;
  }

  const byPolicy = new Map([ip, accountIp, account].map((limiter) => [limiter.name, limiter]));
  return {
    ip,
    accountIp,
    account,
    attempt,
    recordSuccess,
    headers(outcome) {
      const policy =
        outcome instanceof RateLimitStoreUnavailable
          ? undefined
          : outcome instanceof RateLimited
            ? outcome.policy
            : (outcome as RateLimitCheck).policy;
      return (byPolicy.get(policy ?? "") ?? account).headers(outcome);
    },
  };
}
