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

/** Freezes plain objects and arrays at every depth, without recursion: a cached result is shared by requests. */
export function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== "object" || current === null || Object.isFrozen(current)) continue;
    const prototype = Object.getPrototypeOf(current);
    if (!Array.isArray(current) && prototype !== Object.prototype && prototype !== null) continue;
    Object.freeze(current);
    for (const inner of Object.values(current)) pending.push(inner);
  }
  return value;
}
