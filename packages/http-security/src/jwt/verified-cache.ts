import { checkWhole, optionError as fail, refuseUnknownKeys } from "../_internal/options.ts";

// Verified tokens, kept so that a token presented again skips the signature check (fast-jwt's `cache`).
// Only successes are kept, under the exact token text: a token that differs by one character is verified
// anew. An entry is dropped at the first second the verifier itself could refuse the token (its `exp`, its
// `maxTokenAgeSec`, each with the clock tolerance) or after the cache's own time to live, whichever is
// first, so a hit never accepts what a fresh verification would refuse for its time claims.

/** Options of the verified-token cache of `createJwtVerifier`. */
export interface JwtVerifierCacheOptions {
  /** Tokens kept at most; the least recently used is dropped first. From 1 to 1,000,000. */
  readonly maxEntries: number;
  /**
   * Seconds a verified token is kept at most, even when its `exp` is later; defaults to 60, at most 3600. A
   * key removed from a JWKS, or a token revoked elsewhere, is still accepted from the cache until then.
   */
  readonly ttlSec?: number;
}

interface Entry<T> {
  readonly value: T;
  /** Unix seconds from which the entry is stale. */
  readonly staleAt: number;
}

export interface VerifiedCache<T> {
  /** The result kept for `token`, unless it is stale. */
  get(token: string): T | undefined;
  /**
   * Keeps a deeply frozen copy of `value` for `token` until `validUntil` (Unix seconds: the first second a
   * fresh verification could refuse it) or the time to live, whichever is first, and gives that copy; gives
   * `undefined` and keeps nothing when `value` is not plain data (see {@link frozenPlainCopy}).
   */
  keep(token: string, value: T, validUntil: number): T | undefined;
}

const nowSec = (): number => Math.floor(Date.now() / 1000);

/**
 * The verifier's cache from its `cache` option (`undefined`, `false`: none), checked at set-up and read
 * from own properties only: a polluted Object.prototype must not turn caching on or set its time to live. A
 * least-recently-used map: a Map keeps insertion order, and a hit moves to the end.
 */
export function createVerifiedCache<T>(where: string, options: unknown): VerifiedCache<T> | undefined {
  if (options === undefined || options === null || options === false) return undefined;
  if (typeof options !== "object") return fail(where, "cache", "must be an object or false");
  refuseUnknownKeys(where, options, ["maxEntries", "ttlSec"], "cache");
  const own = (key: string): unknown =>
    Object.hasOwn(options, key) ? (options as Record<string, unknown>)[key] : undefined;
  const maxEntries = checkWhole(where, "cache.maxEntries", own("maxEntries"), 1, 1_000_000);
  const ttlSec = checkWhole(where, "cache.ttlSec", own("ttlSec") ?? 60, 1, 3600);
  const entries = new Map<string, Entry<T>>();
  return {
    get(token) {
      const entry = entries.get(token);
      if (entry === undefined) return undefined;
      entries.delete(token);
      if (nowSec() >= entry.staleAt) return undefined;
      entries.set(token, entry);
      return entry.value;
    },
    keep(token, value, validUntil) {
      const shared = frozenPlainCopy(value);
      if (shared === undefined) return undefined;
      entries.delete(token);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(token, { value: shared, staleAt: Math.min(validUntil, nowSec() + ttlSec) });
      return shared;
    },
  };
}

const NOT_PLAIN = Symbol("not plain");

/**
 * A deeply frozen copy of `value` when it holds only primitives, plain objects and arrays; `undefined` when it
 * holds anything else (a `Date`, a `Map`, a class instance from a schema's transform), which freezing would
 * not protect: such a result is not cached. Copied, not frozen in place, so that objects the application
 * shares with the result (a schema default) stay its own. Without recursion, and cycles kept.
 */
export function frozenPlainCopy<T>(value: T): T | undefined {
  const copies = new Map<object, object>();
  const pending: [object, object][] = [];
  const copyOf = (inner: unknown): unknown => {
    if (typeof inner !== "object" || inner === null) return inner;
    const known = copies.get(inner);
    if (known !== undefined) return known;
    const prototype = Object.getPrototypeOf(inner);
    if (!Array.isArray(inner) && prototype !== Object.prototype && prototype !== null) return NOT_PLAIN;
    const copy: object = Array.isArray(inner) ? [] : prototype === null ? Object.create(null) : {};
    copies.set(inner, copy);
    pending.push([inner, copy]);
    return copy;
  };
  const root = copyOf(value);
  if (root === NOT_PLAIN) return undefined;
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [source, target] = next;
    for (const [key, inner] of Object.entries(source)) {
      const copy = copyOf(inner);
      if (copy === NOT_PLAIN) return undefined;
      // defineProperty: a "__proto__" key stays a key, never the copy's prototype.
      Object.defineProperty(target, key, { value: copy, enumerable: true });
    }
  }
  for (const copy of copies.values()) Object.freeze(copy);
  return root as T;
}
