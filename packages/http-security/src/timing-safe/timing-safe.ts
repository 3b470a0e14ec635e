/**
 * A comparison of secrets (tokens, signatures, API keys) whose time depends on neither their content nor
 * their length, on every runtime: both sides are hashed with HMAC-SHA-256 under a random per-process key
 * (Web Crypto), and the two 32-byte digests are compared in constant time.
 *
 * @module
 */

let processKey: Promise<CryptoKey> | undefined;

/** The random HMAC key of this process (or isolate), made on first use; never leaves Web Crypto. */
function hmacKey(): Promise<CryptoKey> {
  processKey ??= crypto.subtle.importKey(
    "raw",
    crypto.getRandomValues(new Uint8Array(32)),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return processKey;
}

const encoder = /* @__PURE__ */ new TextEncoder();

function bytesOf(value: unknown, name: string): Uint8Array<ArrayBuffer> {
  if (typeof value === "string") return encoder.encode(value);
  if (value instanceof Uint8Array) return new Uint8Array(value);
  throw new TypeError(`timingSafeEqual: ${name} must be a string or a Uint8Array`);
}

/**
 * Whether `a` and `b` hold the same bytes (strings are compared as UTF-8), in time that reveals neither
 * where they differ nor how long either is: each is hashed with HMAC-SHA-256 under a random key made once
 * per process, and the digests are compared with no early exit. Works the same on Node, Deno, Bun and
 * Workers (Web Crypto only). Async, because Web Crypto is. A missing value (`null` or `undefined`, e.g. a
 * header the request did not send, passed straight in) answers `false`: a refusal, never a rejection that
 * would become a 500. Any other value that is neither a string nor a `Uint8Array` rejects with a
 * `TypeError` (a programmer error).
 *
 * @example
 * ```ts
 * import { timingSafeEqual } from "@keel/http-security";
 *
 * const expected = "s3cr3t-api-key-0123456789";
 * console.assert(await timingSafeEqual("s3cr3t-api-key-0123456789", expected));
 * console.assert(!(await timingSafeEqual("s3cr3t", expected))); // a prefix: no length leak, just false
 * console.assert(await timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3])));
 * console.assert(!(await timingSafeEqual("é", new TextEncoder().encode("e"))));
 *
 * // A header the client did not send: false, not an exception.
 * const request = new Request("https://api.example.com/");
 * console.assert(!(await timingSafeEqual(request.headers.get("x-api-key"), expected)));
 * ```
 */
export async function timingSafeEqual(
  a: string | Uint8Array | null | undefined,
  b: string | Uint8Array | null | undefined,
): Promise<boolean> {
  // Whether a value was sent at all is no secret; two missing values are no match either.
  if (a === null || a === undefined || b === null || b === undefined) return false;
  const left = bytesOf(a, "a");
  const right = bytesOf(b, "b");
  const key = await hmacKey();
  const [x, y] = await Promise.all([
    crypto.subtle.sign("HMAC", key, left),
    crypto.subtle.sign("HMAC", key, right),
  ]);
  const dx = new Uint8Array(x);
  const dy = new Uint8Array(y);
  let difference = 0;
  for (let index = 0; index < dx.length; index++) difference |= (dx[index] ?? 0) ^ (dy[index] ?? 0);
  return difference === 0;
}
