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
  get(token: string, nowSec: number): T | undefined;
  set(token: string, value: T, staleAt: number): void;
}

/** A least-recently-used map of verified results: a Map keeps insertion order, a hit moves to the end. */
export function createVerifiedCache<T>(maxEntries: number): VerifiedCache<T> {
  const entries = new Map<string, Entry<T>>();
  return {
    get(token, nowSec) {
      const entry = entries.get(token);
      if (entry === undefined) return undefined;
      entries.delete(token);
      if (nowSec >= entry.staleAt) return undefined;
      entries.set(token, entry);
      return entry.value;
    },
    set(token, value, staleAt) {
      entries.delete(token);
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(token, { value, staleAt });
    },
  };
}

/**
 * A deeply frozen copy of `value` when it holds only primitives, plain objects and arrays; `undefined` when it
 * holds anything else (a `Date`, a `Map`, a class instance from a schema's transform), which freezing would
 * not protect: such a result is not cached. Copied, not frozen in place, so that objects the application
 * shares with the result (a schema default) stay its own. Without recursion, and cycles kept.
 */
export function frozenPlainCopy<T>(value: T): T | undefined {
  const copies = new Map<object, object>();
  const copyOf = (inner: unknown): unknown => {
    if (typeof inner !== "object" || inner === null) return inner;
    const known = copies.get(inner);
    if (known !== undefined) return known;
    const prototype = Object.getPrototypeOf(inner);
    const plain = Array.isArray(inner) || prototype === Object.prototype || prototype === null;
    if (!plain) throw notPlain;
    const copy: object = Array.isArray(inner) ? [] : prototype === null ? Object.create(null) : {};
    copies.set(inner, copy);
    pending.push([inner, copy]);
    return copy;
  };
  const pending: [object, object][] = [];
  try {
    const root = copyOf(value) as T;
    while (pending.length > 0) {
      const [source, target] = pending.pop() as [object, object];
      for (const [key, inner] of Object.entries(source)) {
        // defineProperty: a "__proto__" key stays a key, never the copy's prototype.
        Object.defineProperty(target, key, { value: copyOf(inner), enumerable: true });
      }
    }
    for (const copy of copies.values()) Object.freeze(copy);
    return root;
  } catch (error) {
    if (error === notPlain) return undefined;
    throw error;
  }
}

const notPlain = new Error("not plain");
