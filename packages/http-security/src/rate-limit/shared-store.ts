/**
 * What the shared stores (Redis, Durable Objects, the Rate Limiting binding) have in common: how a
 * limiter's key becomes a name on the other side, and how a call to the other side becomes a Result.
 *
 * A JavaScript string is UTF-16 and may hold a lone surrogate, which every client
 * sends as the same three bytes (U+FFFD): two different keys would then share one count. And a Redis key
 * goes inside a Cluster hash tag, which `{` and `}` would cut short. So `%`, `{`, `}` and lone surrogates
 * are escaped (`%25`, `%7B`, `%7D`, `%uD800`): the result is well-formed, brace-free, and the mapping is
 * one-to-one (a `%` in the output always starts one of these escapes).
 */
import { type Err, err, ok, type Result } from "@keel/result";
import { RateLimitStoreUnavailable } from "./errors.ts";

const ESCAPED = /[%{}]|[\uD800-\uDFFF]/gu;

const escapeOne = (char: string): string => {
  if (char === "%") return "%25";
  if (char === "{") return "%7B";
  if (char === "}") return "%7D";
  return `%u${char.charCodeAt(0).toString(16).toUpperCase()}`;
};

/** `key` with `%`, `{`, `}` and lone surrogates escaped: injective, well-formed UTF-16, no braces. */
export function encodeStoreKey(key: string): string {
  return key.replace(ESCAPED, escapeOne);
}

/** Keys longer than this (UTF-16 units) are named by their SHA-256, so a huge key costs the server nothing. */
export const MAX_PLAIN_KEY = 512;

const hex = (bytes: ArrayBuffer): string =>
  Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");

/**
 * The name of `key` on the other side: {@link encodeStoreKey} of it, or, for a key longer than
 * {@link MAX_PLAIN_KEY} (an account name an attacker typed, say), `%h` and the SHA-256 of its escaped form,
 * which no escaped key can start with (a `%` in one always starts `%25`, `%7B`, `%7D` or `%u`).
 */
export async function storeKeyName(key: string): Promise<string> {
  const escaped = encodeStoreKey(key);
  if (escaped.length <= MAX_PLAIN_KEY) return escaped;
  return `%h${hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(escaped)))}`;
}

/**
 * `task()` as a Result, bounded by `timeoutMs`: a rejection, a throw or a timeout is
 * `Err(RateLimitStoreUnavailable)` with the cause kept; the timer is cleared whatever happens.
 */
export async function settle<T>(
  timeoutMs: number,
  what: string,
  task: () => Promise<T>,
): Promise<Result<T, RateLimitStoreUnavailable>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return ok(await Promise.race([task(), timeout]));
  } catch (cause) {
    return err(new RateLimitStoreUnavailable({ cause }));
  } finally {
    clearTimeout(timer);
  }
}

/** `Err(RateLimitStoreUnavailable)` for a call outside the store contract (a programmer error, kept as cause). */
export const contractViolation = (problem: string): Err<never, RateLimitStoreUnavailable> =>
  err(new RateLimitStoreUnavailable({ cause: new TypeError(`rate-limit store: ${problem}`) }));

/** Checks a `timeoutMs` option once, at set-up. */
export function checkTimeout(factory: string, value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1 || (value as number) > 60_000) {
    throw new TypeError(`${factory}: timeoutMs must be whole milliseconds from 1 to 60000`);
  }
  return value as number;
}

/** Checks a key `prefix` option once, at set-up. */
export function checkPrefix(factory: string, value: unknown): string {
  if (typeof value !== "string" || /[{}]/.test(value) || value.length > 256) {
    throw new TypeError(`${factory}: prefix must be a string of at most 256 characters without '{' or '}'`);
  }
  return value;
}
