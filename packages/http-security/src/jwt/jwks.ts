/**
 * A remote JSON Web Key Set that an attacker cannot make the verifier fetch more often: one fetch in flight
 * per verifier, a cooldown after every fetch (failed ones too), keys kept for a bounded stale window while the
 * provider is down, and an optional store (KV, Cache API) shared by isolates. jose's `createLocalJWKSet`
 * picks the key; the fetching and caching are this module's, because jose's `createRemoteJWKSet` drops its
 * shared pending fetch on Workers and starts its cooldown only after a success.
 *
 * @module
 */
import { createLocalJWKSet, errors, type CryptoKey as JoseCryptoKey, type JWTHeaderParameters } from "jose";
import type { JSONWebKeySet } from "../_internal/external-types.ts";
import { checkWhole, optionError as fail, refuseUnknownKeys } from "../_internal/options.ts";

/** A key set as last fetched: what a {@link JwksStore} keeps. */
export interface JwksSnapshot {
  /** The key set, as the provider served it. */
  readonly jwks: JSONWebKeySet;
  /** When its fetch started (milliseconds since the epoch): its age is counted from there. */
  readonly fetchedAt: number;
}

/**
 * Where the key set is kept between isolates (Workers KV, the Cache API, Redis...), so a cold isolate reads
 * it there instead of fetching it. `get` is read before a fetch (an isolate with no keys or expired ones,
 * or a token naming an unknown `kid`), `set` after every successful fetch. A failing or slow store is
 * skipped (bounded by `timeoutMs`), never an error of the verification. Its content is trusted as keys: use
 * storage only this service writes.
 *
 * @example
 * ```ts
 * import { createJwtVerifier, type JwksSnapshot } from "@keel/http-security/jwt";
 * import { exportJWK, generateKeyPair, SignJWT } from "jose";
 *
 * const { publicKey, privateKey } = await generateKeyPair("ES256");
 * // What another isolate fetched and wrote (Workers KV: env.JWKS.get(name, "json") / put(name, JSON.stringify(snapshot))).
 * const kv = new Map<string, string>();
 * kv.set("jwks", JSON.stringify({ jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" }] }, fetchedAt: Date.now() }));
 * let fetches = 0;
 * const verifier = createJwtVerifier({
 *   algorithms: ["ES256"],
 *   key: {
 *     jwksUrl: "https://login.example.com/.well-known/jwks.json",
 *     fetch: async () => (fetches += 1, new Response(null, { status: 503 })),
 *     store: {
 *       get: async () => JSON.parse(kv.get("jwks") ?? "null") as JwksSnapshot | null,
 *       set: async (snapshot) => void kv.set("jwks", JSON.stringify(snapshot)),
 *     },
 *   },
 *   issuer: "https://login.example.com/",
 *   audience: "api",
 * });
 * const token = await new SignJWT({}).setProtectedHeader({ alg: "ES256", kid: "k1", typ: "JWT" })
 *   .setIssuer("https://login.example.com/").setAudience("api").setExpirationTime("5m").sign(privateKey);
 * console.assert((await verifier.verify(token)).isOk() && fetches === 0);
 * ```
 */
export interface JwksStore {
  /** The snapshot last stored, or `null`/`undefined` when there is none; may be async. */
  get(): Promise<JwksSnapshot | null | undefined> | JwksSnapshot | null | undefined;
  /** Stores a freshly fetched snapshot for the other isolates; its result is ignored. */
  set(snapshot: JwksSnapshot): Promise<unknown> | unknown;
}

/** A remote JSON Web Key Set, fetched, cached and refetched by the verifier. */
export interface RemoteJwksOptions {
  /** The JWKS URL: `https:` (plain `http:` only for `localhost`, `127.0.0.1` and `[::1]`). */
  readonly jwksUrl: string | URL;
  /** How long a fetched key set is used before it is fetched again; defaults to 600000 (10 minutes). */
  readonly cacheMaxAgeMs?: number;
  /**
   * After a fetch ends, successful or not, how long no other fetch starts; defaults to 30000. A token with
   * an unknown `kid` meanwhile is refused with the keys at hand, so forged `kid`s and a provider outage
   * cause at most one fetch per cooldown per verifier (and per isolate), however many requests come.
   */
  readonly cooldownMs?: number;
  /**
   * How long after `cacheMaxAgeMs` a key set is still used while its refetch fails (stale-if-error);
   * defaults to 3600000 (1 hour), `0` for none. A provider outage shorter than this is invisible to users;
   * past it, verification is `JwtKeyUnavailable` until the provider answers.
   */
  readonly staleIfErrorMs?: number;
  /** The fetch's time limit (and the store's); defaults to 5000. A key set not there in time is a failed fetch. */
  readonly timeoutMs?: number;
  /**
   * The `fetch` to use (tests, a proxy); defaults to the global one. Its `init.signal` is enforced on the
   * whole response, body included, and a body over 1 MiB is refused.
   */
  readonly fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Keeps the key set between isolates; see {@link JwksStore}. None by default. */
  readonly store?: JwksStore;
}

const REMOTE_OPTIONS = [
  "jwksUrl",
  "cacheMaxAgeMs",
  "cooldownMs",
  "staleIfErrorMs",
  "timeoutMs",
  "fetch",
  "store",
] as const;

const isLoopback = (host: string): boolean =>
  host === "localhost" || host === "127.0.0.1" || host === "[::1]";

// A key set is a few kilobytes; a bigger answer is not one (and is not buffered whole).
const MAX_JWKS_BYTES = 1_048_576;

/** The body of `response`, read to its end unless `signal` aborts first, and refused past {@link MAX_JWKS_BYTES}. */
async function readBounded(response: Response, signal: AbortSignal): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader !== undefined) {
    const stop = (): void => void reader.cancel().catch(() => undefined);
    if (signal.aborted) stop();
    signal.addEventListener("abort", stop, { once: true });
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        size += chunk.value.byteLength;
        if (size > MAX_JWKS_BYTES) {
          stop();
          throw new RangeError(`JWKS response over ${MAX_JWKS_BYTES} bytes`);
        }
        chunks.push(chunk.value);
      }
    } finally {
      signal.removeEventListener("abort", stop);
    }
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** `work`, or a rejection once `signal` aborts, whatever `work` does with the signal (a custom fetch may ignore it). */
function bySignal<T>(signal: AbortSignal, work: () => Promise<T> | T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    Promise.resolve().then(work).then(resolve, reject);
  });
}

type FetchImpl = (url: string, init: RequestInit) => Promise<Response>;

/** The key set at `url`: a 200 with a JSON body under 1 MiB, all of it before `timeoutMs`; redirects refused. */
function fetchJwks(url: string, fetchImpl: FetchImpl, timeoutMs: number): Promise<unknown> {
  const signal = AbortSignal.timeout(timeoutMs);
  return bySignal(signal, async () => {
    const response = await fetchImpl(url, {
      method: "GET",
      redirect: "manual",
      signal,
      headers: { accept: "application/json, application/jwk-set+json" },
    });
    if (response.status !== 200) {
      void response.body?.cancel().catch(() => undefined);
      throw new Error(`JWKS answered ${response.status}`);
    }
    return JSON.parse(new TextDecoder().decode(await readBounded(response, signal))) as unknown;
  });
}

/** Marks a failure to get a key (not the token's fault) through jose's getKey callback. */
export class KeyUnavailable extends Error {}

/** Where the verifier gets the key for a token's header. */
export type KeySource = (header: JWTHeaderParameters) => Promise<JoseCryptoKey | Uint8Array>;

/** A key set in memory: jose's selection over it, and when it was fetched. */
interface Keys {
  readonly select: (header: JWTHeaderParameters) => Promise<JoseCryptoKey>;
  readonly fetchedAt: number;
}

/** A fetch in flight: when it is overdue, and how to wake the requests waiting for it. */
interface Attempt {
  readonly deadline: number;
  readonly waiters: Set<() => void>;
}

// Past its deadline (plus this), an attempt is taken as lost: its request was cancelled mid-fetch.
const ATTEMPT_GRACE_MS = 1_000;

export function remoteKeySource(where: string, options: RemoteJwksOptions): KeySource {
  refuseUnknownKeys(`${where}: key`, options, REMOTE_OPTIONS);
  let url: URL;
  try {
    url = new URL(options.jwksUrl);
  } catch {
    return fail(where, "key.jwksUrl", "must be a URL");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    fail(where, "key.jwksUrl", "must be an https: URL");
  }
  const href = url.href;
  const cacheMaxAge = checkWhole(where, "key.cacheMaxAgeMs", options.cacheMaxAgeMs ?? 600_000, 0, 86_400_000);
  const cooldown = checkWhole(where, "key.cooldownMs", options.cooldownMs ?? 30_000, 0, 86_400_000);
  const staleIfError = checkWhole(
    where,
    "key.staleIfErrorMs",
    options.staleIfErrorMs ?? 3_600_000,
    0,
    604_800_000,
  );
  const timeout = checkWhole(where, "key.timeoutMs", options.timeoutMs ?? 5_000, 1, 60_000);
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    fail(where, "key.fetch", "must be a function");
  }
  const store = options.store;
  if (
    store !== undefined &&
    (typeof store !== "object" ||
      store === null ||
      typeof store.get !== "function" ||
      typeof store.set !== "function")
  ) {
    fail(where, "key.store", "must have get() and set(snapshot)");
  }
  const fetchImpl: FetchImpl = options.fetch ?? ((input, init) => fetch(input, init));

  // Per verifier, so per isolate when the verifier is built at module scope (as it should be).
  let keys: Keys | undefined;
  let attempt: Attempt | undefined;
  let cooldownUntil = 0;
  let lastFailure: unknown;

  const fresh = (set: Keys, now: number): boolean => now < set.fetchedAt + cacheMaxAge;
  const usable = (set: Keys, now: number): boolean => now < set.fetchedAt + cacheMaxAge + staleIfError;
  const toKeys = (jwks: unknown, fetchedAt: number): Keys => {
    const select = createLocalJWKSet(jwks as JSONWebKeySet);
    return {
      select: (header) => select(header, undefined as never) as Promise<JoseCryptoKey>,
      fetchedAt,
    };
  };
  /** Keeps `next` unless the set in memory is newer (an attempt given up on may still end). */
  const adopt = (next: Keys): void => {
    if (keys === undefined || next.fetchedAt >= keys.fetchedAt) keys = next;
  };

  /** The store's snapshot when it is valid and newer than the keys in memory; never throws. */
  async function fromStore(now: number): Promise<Keys | undefined> {
    if (store === undefined) return undefined;
    try {
      const snapshot = await bySignal(AbortSignal.timeout(timeout), () => store.get());
      if (typeof snapshot !== "object" || snapshot === null) return undefined;
      const { jwks, fetchedAt } = snapshot;
      // A snapshot from the future would never expire.
      if (typeof fetchedAt !== "number" || !Number.isFinite(fetchedAt) || fetchedAt > now) return undefined;
      if (keys !== undefined && fetchedAt <= keys.fetchedAt) return undefined;
      return toKeys(jwks, fetchedAt);
    } catch {
      return undefined;
    }
  }

  /** One attempt: the store's newer fresh set if there is one, else a fetch (then written to the store). */
  async function load(): Promise<void> {
    const startedAt = Date.now();
    const stored = await fromStore(startedAt);
    if (stored !== undefined && usable(stored, Date.now())) {
      adopt(stored);
      if (fresh(stored, Date.now())) return;
    }
    const jwks = await fetchJwks(href, fetchImpl, timeout);
    adopt(toKeys(jwks, startedAt));
    if (store !== undefined) {
      const snapshot: JwksSnapshot = { jwks: jwks as JSONWebKeySet, fetchedAt: startedAt };
      await bySignal(AbortSignal.timeout(timeout), () => store.set(snapshot)).catch(() => undefined);
    }
  }

  /**
   * Brings the key set up to date if no fetch ended within the cooldown. A request that finds another's
   * fetch in flight waits for its end on a promise of its own, woken by that request or by its own timer:
   * workerd forbids awaiting a promise of another request (and one whose request was cancelled never
   * settles), which is why jose shares no fetch there.
   */
  async function refresh(): Promise<void> {
    const current = attempt;
    if (current !== undefined) {
      let wake: () => void = () => undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        wake = resolve;
        current.waiters.add(resolve);
        timer = setTimeout(resolve, Math.max(0, current.deadline - Date.now()));
      });
      clearTimeout(timer);
      current.waiters.delete(wake);
      if (attempt === current && Date.now() >= current.deadline) {
        // Its request never came back: count it as a failed fetch, so the cooldown holds.
        attempt = undefined;
        lastFailure = new Error("JWKS fetch abandoned");
        cooldownUntil = Date.now() + cooldown;
        for (const waiter of current.waiters) waiter();
      }
      return;
    }
    if (Date.now() < cooldownUntil) return;
    const mine: Attempt = {
      deadline: Date.now() + timeout * (store === undefined ? 1 : 3) + ATTEMPT_GRACE_MS,
      waiters: new Set(),
    };
    attempt = mine;
    try {
      await load();
      lastFailure = undefined;
    } catch (error) {
      lastFailure = error;
    } finally {
      if (attempt === mine) {
        attempt = undefined;
        cooldownUntil = Date.now() + cooldown;
      }
      for (const waiter of mine.waiters) waiter();
    }
  }

  const unavailable = (): KeyUnavailable =>
    new KeyUnavailable("JWKS unavailable", { cause: lastFailure ?? new Error("JWKS not fetched") });

  /** The key for `header` from `set`: no key for the kid/alg is the token's problem; anything else, ours. */
  const pick = async (set: Keys, header: JWTHeaderParameters): Promise<JoseCryptoKey> => {
    try {
      return await set.select(header);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
        throw error;
      }
      throw new KeyUnavailable("JWKS key unusable", { cause: error });
    }
  };

  return async (header) => {
    let held = keys;
    let refreshed = false;
    if (held === undefined || !fresh(held, Date.now())) {
      await refresh();
      refreshed = true;
      // A set fetched just now is used even when cacheMaxAgeMs is shorter than the fetch.
      if (keys !== held) held = keys;
      else if (held !== undefined && !usable(held, Date.now())) held = undefined;
    }
    if (held === undefined) throw unavailable();
    try {
      return await pick(held, header);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      // An unknown kid: maybe a key rotated in. At most one refresh per verification.
      if (!refreshed) await refresh();
      const after = keys;
      if (after !== undefined && after !== held) return pick(after, header);
      // The provider is down: the kid may be a new key we cannot see, not a forgery.
      if (lastFailure !== undefined) throw unavailable();
      throw error;
    }
  };
}
