/**
 * @module
 * JWT verification and signing on `jose`: an algorithm allow-list that is required (`none` impossible,
 * symmetric and asymmetric never mixed), `iss`/`aud`/`exp`/`nbf`/`typ` checked by default, keys from a secret,
 * a PEM or JWK, or a remote JWKS (cached, with a cooldown, a timeout and a refetch on an unknown `kid`),
 * claims validated by a Standard Schema, and every failure a tagged error in a `Result`.
 */

import { err, fromSchemaAsync, ok, type Result } from "@keel/result";
import type { StandardSchemaV1 } from "@standard-schema/spec";
import {
  createRemoteJWKSet,
  customFetch,
  errors,
  importJWK,
  importPKCS8,
  importSPKI,
  type CryptoKey as JoseCryptoKey,
  type JWK,
  type JWTHeaderParameters,
  type JWTVerifyGetKey,
  jwtVerify,
  SignJWT,
} from "jose";
import {
  JwtAlgorithmNotAllowed,
  JwtClaimInvalid,
  type JwtError,
  JwtExpired,
  JwtInvalidSignature,
  JwtKeyUnavailable,
  JwtMalformed,
  JwtMissing,
  JwtNotYetValid,
} from "./jwt-errors.ts";

/** The JWS algorithms a verifier or signer may use. `none` is not one of them. */
export type JwtAlgorithm =
  | "HS256"
  | "HS384"
  | "HS512"
  | "RS256"
  | "RS384"
  | "RS512"
  | "PS256"
  | "PS384"
  | "PS512"
  | "ES256"
  | "ES384"
  | "ES512"
  | "EdDSA"
  | "Ed25519";

/** A `@keel/secure-config` `Secret` (or anything with its `reveal()`) holding an HMAC secret. */
export interface SecretLike {
  reveal(): unknown;
}

/** A remote JSON Web Key Set, fetched by `jose`'s `createRemoteJWKSet`. */
export interface RemoteJwksOptions {
  /** The JWKS URL: `https:` (plain `http:` only for `localhost`, `127.0.0.1` and `[::1]`). */
  readonly jwksUrl: string | URL;
  /** How long a fetched key set is used before it is fetched again; defaults to 600000 (10 minutes). */
  readonly cacheMaxAgeMs?: number;
  /**
   * After a fetch, how long a token with an unknown `kid` is refused rather than causing another fetch;
   * defaults to 30000. Bounds how often forged `kid`s can make the verifier fetch.
   */
  readonly cooldownMs?: number;
  /** The fetch's time limit; defaults to 5000. A key set not there in time is `JwtKeyUnavailable`. */
  readonly timeoutMs?: number;
  /**
   * The `fetch` to use (tests, a proxy); defaults to the global one. Its `init.signal` is enforced on the
   * whole response, body included, and a body over 1 MiB is refused (`JwtKeyUnavailable`).
   */
  readonly fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/**
 * A verification key: an HMAC secret (a `Secret`, a string or bytes, at least as long as the hash: 32 bytes
 * for HS256, 48 for HS384, 64 for HS512), a PEM public key (`-----BEGIN PUBLIC KEY-----`, SPKI), a public
 * JWK, a `CryptoKey`, or a remote JWKS.
 */
export type JwtVerifyKey = SecretLike | string | Uint8Array | CryptoKey | JsonWebKey | RemoteJwksOptions;

/** The registered claims of a JWT, and any others. */
export interface JwtClaims {
  readonly iss?: string;
  readonly sub?: string;
  readonly aud?: string | readonly string[];
  readonly exp?: number;
  readonly nbf?: number;
  readonly iat?: number;
  readonly jti?: string;
  readonly [claim: string]: unknown;
}

/** The protected header of a verified JWT. */
export interface JwtHeader {
  readonly alg: string;
  readonly kid?: string;
  readonly typ?: string;
  readonly [parameter: string]: unknown;
}

/** What {@link JwtVerifier.verify} gives for a valid token. */
export interface VerifiedJwt<Claims> {
  /** The payload, as the `claims` schema output it (or as sent, without a schema). */
  readonly claims: Claims;
  readonly header: JwtHeader;
}

/** Options for {@link createJwtVerifier}. */
export interface JwtVerifierOptions<Schema extends StandardSchemaV1 | undefined = undefined> {
  /**
   * The algorithms accepted, required and non-empty: the token's `alg` header must be one of them. All
   * symmetric (`HS*`, with a secret) or all asymmetric (with a public key or a JWKS), never both.
   */
  readonly algorithms: readonly JwtAlgorithm[];
  /** The key; see {@link JwtVerifyKey}. */
  readonly key: JwtVerifyKey;
  /** The `iss` required (one of, for a list). `false` accepts any issuer, explicitly. */
  readonly issuer: string | readonly string[] | false;
  /**
   * The `aud` required: the token's `aud` (a string, or an array of strings) must hold one of these.
   * `false` accepts any audience, explicitly: only for tokens minted for this service alone.
   */
  readonly audience: string | readonly string[] | false;
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat`; defaults to 0, at most 300. */
  readonly clockToleranceSec?: number;
  /** When set, tokens need an `iat` and are refused once older than this many seconds. */
  readonly maxTokenAgeSec?: number;
  /**
   * The `typ` header required (compared as a media type: `"at+jwt"` matches `"application/at+jwt"`);
   * defaults to `"JWT"`. `false` accepts a token with any `typ` or none.
   */
  readonly typ?: string | false;
  /** Tokens longer than this many characters are refused before they are parsed; defaults to 8192. */
  readonly maxTokenLength?: number;
  /** `crit` header parameters this application understands and checks itself; any other is refused. */
  readonly crit?: readonly string[];
  /** A Standard Schema (Zod, Valibot...) the payload must pass; its output becomes `claims`. */
  readonly claims?: Schema;
}

/** A verifier built once by {@link createJwtVerifier}. */
export interface JwtVerifier<Claims = JwtClaims> {
  /** Verifies a compact JWS; never throws or rejects: every failure is a tagged error. */
  verify(token: string | null | undefined): Promise<Result<VerifiedJwt<Claims>, JwtError>>;
  /** Resolves once the key is imported; rejects with a `TypeError` when it cannot be. Await at start-up. */
  ready(): Promise<void>;
}

const HMAC_BYTES = { HS256: 32, HS384: 48, HS512: 64 } as const;
const ALGORITHMS: ReadonlySet<string> = /* @__PURE__ */ new Set<JwtAlgorithm>([
  "HS256",
  "HS384",
  "HS512",
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
]);
const isHmac = (alg: string): alg is keyof typeof HMAC_BYTES => alg in HMAC_BYTES;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// Claims a JwtClaimInvalid may name; a name the token chose is never repeated.
const NAMED_CLAIMS: ReadonlySet<string> = /* @__PURE__ */ new Set([
  "iss",
  "sub",
  "aud",
  "exp",
  "nbf",
  "iat",
  "jti",
  "typ",
]);
const encoder = /* @__PURE__ */ new TextEncoder();

const fail = (where: string, option: string, reason: string): never => {
  throw new TypeError(`${where}: ${option} ${reason}`);
};

/** Checks `algorithms` and tells whether they are the symmetric kind. */
function checkAlgorithms(where: string, algorithms: unknown): boolean {
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    fail(where, "algorithms", "must be a non-empty list (no default: name the algorithms your issuer uses)");
  }
  for (const alg of algorithms as unknown[]) {
    if (typeof alg !== "string" || !ALGORITHMS.has(alg)) {
      fail(where, "algorithms", `must each be one of ${[...ALGORITHMS].join(", ")} ("none" never is)`);
    }
  }
  const symmetric = (algorithms as string[]).filter(isHmac).length;
  if (symmetric !== 0 && symmetric !== (algorithms as string[]).length) {
    fail(where, "algorithms", "may not mix HMAC (HS*) and public-key algorithms for one key");
  }
  return symmetric !== 0;
}

const isCryptoKey = (key: unknown): key is CryptoKey =>
  typeof CryptoKey === "function" && key instanceof CryptoKey;
const isSecretLike = (key: unknown): key is SecretLike =>
  typeof key === "object" && key !== null && typeof (key as SecretLike).reveal === "function";
// A PEM (SPKI, certificate...) or a JWK's JSON is a public key, never an HMAC secret, as text or as bytes.
const looksLikePublicKey = (text: string): boolean => /-----BEGIN |^\s*\{[\s\S]*"kty"/.test(text);

/** The secret's bytes, checked against the longest hash of `algorithms`. */
function secretBytes(where: string, key: unknown, algorithms: readonly string[]): Uint8Array {
  let value: unknown = key;
  if (isSecretLike(key)) {
    try {
      value = key.reveal();
    } catch {
      fail(where, "key", "is a Secret whose reveal() throws");
    }
  }
  const text =
    typeof value === "string" ? value : value instanceof Uint8Array ? new TextDecoder().decode(value) : "";
  if (looksLikePublicKey(text)) {
    fail(
      where,
      "key",
      "is a PEM or JWK key: an HMAC secret is not a public key (algorithm confusion); use RS256/ES256...",
    );
  }
  const bytes = typeof value === "string" ? encoder.encode(value) : value;
  if (!(bytes instanceof Uint8Array)) {
    fail(where, "key", "must be a Secret, a string or a Uint8Array for HS* algorithms");
  }
  const needed = Math.max(...algorithms.map((alg) => HMAC_BYTES[alg as keyof typeof HMAC_BYTES]));
  if ((bytes as Uint8Array).length < needed) {
    fail(where, "key", `must be at least ${needed} bytes for ${algorithms.join(", ")} (the hash's size)`);
  }
  return Uint8Array.from(bytes as Uint8Array);
}

function checkWhole(where: string, option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(where, option, `must be a whole number from ${min} to ${max}`);
  }
  return value as number;
}

const isLoopback = (host: string): boolean =>
  host === "localhost" || host === "127.0.0.1" || host === "[::1]";

// A key set is a few kilobytes; a bigger answer is not one (and is not buffered whole).
const MAX_JWKS_BYTES = 1_048_576;

/** The body of `response`, read to its end unless `signal` aborts first, and refused past {@link MAX_JWKS_BYTES}. */
async function readBounded(response: Response, signal: AbortSignal | null): Promise<Uint8Array<ArrayBuffer>> {
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader !== undefined) {
    const stop = (): void => void reader.cancel().catch(() => undefined);
    if (signal?.aborted) stop();
    signal?.addEventListener("abort", stop, { once: true });
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
      signal?.removeEventListener("abort", stop);
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

/**
 * A fetch that has the whole response (status and a bounded body) before `init.signal` aborts, whatever the
 * given fetch does: `jose` reads the body after the fetch resolves, where a stalled body would hang.
 */
function enforceSignal(
  fetchImpl: (url: string, init: RequestInit) => Promise<Response>,
): (url: string, init: RequestInit) => Promise<Response> {
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init.signal ?? null;
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
      Promise.resolve()
        .then(() => fetchImpl(url, init))
        // jose reads only the status of anything but a 200.
        .then(async (response) =>
          response.status === 200
            ? new Response(await readBounded(response, signal), { status: 200 })
            : response,
        )
        .then(resolve, reject);
    });
}

// Marks a failure to get a key (not the token's fault) through jose's getKey callback.
class KeyUnavailable extends Error {}

type KeySource = (header: JWTHeaderParameters) => Promise<JoseCryptoKey | Uint8Array>;

function remoteKeySource(where: string, options: RemoteJwksOptions): KeySource {
  let url: URL;
  try {
    url = new URL(options.jwksUrl);
  } catch {
    return fail(where, "key.jwksUrl", "must be a URL");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    fail(where, "key.jwksUrl", "must be an https: URL");
  }
  const cacheMaxAge = checkWhole(where, "key.cacheMaxAgeMs", options.cacheMaxAgeMs ?? 600_000, 0, 86_400_000);
  const cooldownDuration = checkWhole(where, "key.cooldownMs", options.cooldownMs ?? 30_000, 0, 86_400_000);
  const timeoutDuration = checkWhole(where, "key.timeoutMs", options.timeoutMs ?? 5_000, 1, 60_000);
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    fail(where, "key.fetch", "must be a function");
  }
  const jwks: JWTVerifyGetKey = createRemoteJWKSet(url, {
    cacheMaxAge,
    cooldownDuration,
    timeoutDuration,
    [customFetch]: enforceSignal(options.fetch ?? ((input, init) => fetch(input, init))),
  });
  return async (header) => {
    try {
      return (await jwks(header, undefined as never)) as JoseCryptoKey;
    } catch (error) {
      // No key for this kid/alg: the token's problem. Anything else (timeout, not a key set): ours.
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
        throw error;
      }
      throw new KeyUnavailable("JWKS unavailable", { cause: error });
    }
  };
}

/** Imports `key` once per algorithm, at set-up; a failed import is reported by `ready()` and `verify`. */
function localKeySource(
  where: string,
  algorithms: readonly string[],
  importKey: (alg: string) => Promise<JoseCryptoKey | Uint8Array>,
): { source: KeySource; ready: () => Promise<void> } {
  const keys = new Map<string, Promise<JoseCryptoKey | Uint8Array>>();
  for (const alg of algorithms) {
    const imported = importKey(alg).catch((cause: unknown) => {
      throw new KeyUnavailable(`${where}: key cannot be used for ${alg}`, { cause });
    });
    imported.catch(() => undefined);
    keys.set(alg, imported);
  }
  return {
    source: (header) => keys.get(header.alg) ?? Promise.reject(new errors.JOSEAlgNotAllowed("")),
    ready: async () => {
      try {
        await Promise.all(keys.values());
      } catch (error) {
        throw new TypeError((error as Error).message, { cause: error });
      }
    },
  };
}

function checkCryptoKey(
  where: string,
  key: CryptoKey,
  algorithms: readonly string[],
  usage: "verify" | "sign",
): void {
  const symmetric = algorithms.some(isHmac);
  const expected = symmetric ? "secret" : usage === "verify" ? "public" : "private";
  if (key.type !== expected) fail(where, "key", `must be a ${expected} CryptoKey for these algorithms`);
  if (symmetric) {
    // The same bound as for a secret's bytes: an imported CryptoKey is no way around it.
    const needed = Math.max(...algorithms.map((alg) => HMAC_BYTES[alg as keyof typeof HMAC_BYTES]));
    const { name, length } = key.algorithm as { name: string; length?: number };
    if (name !== "HMAC" || typeof length !== "number" || length < needed * 8) {
      fail(
        where,
        "key",
        `must be an HMAC CryptoKey of at least ${needed} bytes for ${algorithms.join(", ")}`,
      );
    }
  }
}

function checkJwk(where: string, jwk: JsonWebKey, usage: "verify" | "sign"): void {
  if (typeof jwk.kty !== "string") fail(where, "key", "must be a JWK with a kty");
  if (jwk.kty === "oct") fail(where, "key", "is a symmetric JWK: pass the secret itself with HS* algorithms");
  if (usage === "verify" && jwk.d !== undefined) {
    fail(where, "key", "is a private JWK: a verifier takes the public key only");
  }
  if (usage === "sign" && jwk.d === undefined) fail(where, "key", "must be a private JWK to sign");
  // RFC 7517 4.2, 4.3: a key for encryption is not a signature key (jose's key sets skip them too).
  if (
    (jwk.use !== undefined && jwk.use !== "sig") ||
    (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes(usage)))
  ) {
    fail(where, "key", `is a JWK whose use or key_ops does not allow "${usage}"`);
  }
}

const hmacKey = (bytes: Uint8Array, alg: string, usage: "sign" | "verify"): Promise<JoseCryptoKey> =>
  crypto.subtle.importKey(
    "raw",
    bytes as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: `SHA-${alg.slice(2)}` },
    false,
    [usage],
  ) as Promise<JoseCryptoKey>;

/** Resolves the verifier's key source from its options, once. */
function keySource(
  where: string,
  key: unknown,
  algorithms: readonly string[],
  symmetric: boolean,
): { source: KeySource; ready: () => Promise<void> } {
  const ready = async (): Promise<void> => undefined;
  if (symmetric) {
    if (isCryptoKey(key)) {
      checkCryptoKey(where, key, algorithms, "verify");
      return { source: async () => key as JoseCryptoKey, ready };
    }
    const bytes = secretBytes(where, key, algorithms);
    // One non-extractable CryptoKey per algorithm, imported once: jose would import raw bytes per call.
    return localKeySource(where, algorithms, (alg) => hmacKey(bytes, alg, "verify"));
  }
  if (isCryptoKey(key)) {
    checkCryptoKey(where, key, algorithms, "verify");
    return { source: async () => key as JoseCryptoKey, ready };
  }
  if (typeof key === "string") {
    if (!/^\s*-----BEGIN PUBLIC KEY-----/.test(key)) {
      fail(where, "key", "must be a PEM public key (-----BEGIN PUBLIC KEY-----) for these algorithms");
    }
    return localKeySource(where, algorithms, (alg) => importSPKI(key, alg));
  }
  if (typeof key === "object" && key !== null && "jwksUrl" in key) {
    return { source: remoteKeySource(where, key as RemoteJwksOptions), ready };
  }
  if (typeof key === "object" && key !== null && !isSecretLike(key) && !(key instanceof Uint8Array)) {
    const jwk = key as JsonWebKey & { alg?: string };
    checkJwk(where, jwk, "verify");
    if (jwk.alg !== undefined && !algorithms.includes(jwk.alg)) {
      fail(where, "key", "is a JWK whose alg is not in algorithms");
    }
    const usable = jwk.alg === undefined ? algorithms : [jwk.alg];
    return localKeySource(where, usable, (alg) => importJWK(jwk as JWK, alg));
  }
  return fail(
    where,
    "key",
    "must be a PEM public key, a public JWK, a CryptoKey or { jwksUrl } for these algorithms",
  );
}

/**
 * Whether a parsed JSON value holds a `__proto__` key at any depth: `JSON.parse` makes it an own key, which
 * `Object.assign` or a deep merge would then take as a prototype.
 */
function hasProtoKey(json: unknown): boolean {
  const pending: unknown[] = [json];
  for (let value = pending.pop(); value !== undefined; value = pending.pop()) {
    if (typeof value !== "object" || value === null) continue;
    if (Object.hasOwn(value, "__proto__")) return true;
    // One at a time: spreading a 500,000-item array would overflow the stack (and make `verify` reject).
    for (const item of Object.values(value)) if (typeof item === "object") pending.push(item);
  }
  return false;
}

/**
 * The registered claim of the wrong type in a claims set jose verified (it checks only what it compares):
 * `exp` as `1e400`, parsed to Infinity (a token that never expires), `aud: [1, "api"]`, a numeric `sub`.
 */
function invalidClaim(claims: Record<string, unknown>): string | undefined {
  for (const name of ["exp", "nbf", "iat"]) {
    if (claims[name] !== undefined && !Number.isFinite(claims[name])) return name;
  }
  for (const name of ["iss", "sub", "jti"]) {
    if (claims[name] !== undefined && typeof claims[name] !== "string") return name;
  }
  const aud = claims.aud;
  if (aud !== undefined && typeof aud !== "string") {
    if (!Array.isArray(aud) || !aud.every((item) => typeof item === "string")) return "aud";
  }
  return undefined;
}

/** Maps whatever jose (or the key source) threw to one of the tagged errors; nothing of the token is kept. */
function toJwtError(error: unknown): JwtError {
  if (error instanceof KeyUnavailable) return new JwtKeyUnavailable(error.cause);
  if (error instanceof errors.JWTExpired) return new JwtExpired();
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "nbf" && error.reason === "check_failed") return new JwtNotYetValid();
    return new JwtClaimInvalid(NAMED_CLAIMS.has(error.claim) ? error.claim : undefined);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new JwtAlgorithmNotAllowed();
  // JOSENotSupported: a crit header parameter not understood.
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return new JwtMalformed();
  }
  // A bad signature, no key for the kid, a key that does not fit the alg, anything unforeseen: refused.
  return new JwtInvalidSignature();
}

/**
 * Builds, once at set-up, a JWT verifier on `jose`'s `jwtVerify`. Secure by default: `algorithms`,
 * `issuer` and `audience` are required (`false` opts out of a claim check, explicitly), `exp` is required
 * and must be a number (as `nbf` and `iat`), `typ` must be `JWT`, tokens over 8192 characters are refused
 * unparsed, and unknown `crit` header parameters are refused. A secret shorter than its hash, a PEM string
 * given as an HMAC secret, a private key, or a mix of HMAC and public-key algorithms throws a `TypeError`
 * at set-up. `verify` never throws: every failure is a {@link JwtError}.
 *
 * @example
 * ```ts
 * import { createJwtSigner, createJwtVerifier } from "@keel/http-security";
 * import * as z from "zod";
 *
 * const secret = "a-secret-of-at-least-32-bytes-for-hs256!";
 * const signer = createJwtSigner({ algorithm: "HS256", key: secret, issuer: "https://auth.example", audience: "api" });
 * const verifier = createJwtVerifier({
 *   algorithms: ["HS256"],
 *   key: secret,
 *   issuer: "https://auth.example",
 *   audience: "api",
 *   claims: z.object({ sub: z.string(), role: z.enum(["admin", "user"]) }),
 * });
 *
 * const token = await signer.sign({ role: "admin" }, { subject: "user-1" });
 * const verified = await verifier.verify(token);
 * console.assert(verified.isOk() && verified.value.claims.role === "admin");
 * const forged = await verifier.verify(`${token.slice(0, -4)}AAAA`);
 * console.assert(forged.isErr() && forged.error._tag === "JwtInvalidSignature");
 * ```
 */
export function createJwtVerifier<Schema extends StandardSchemaV1 | undefined = undefined>(
  options: JwtVerifierOptions<Schema>,
): JwtVerifier<Schema extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<Schema> : JwtClaims> {
  const where = "createJwtVerifier";
  if (typeof options !== "object" || options === null) fail(where, "options", "must be an object");
  const symmetric = checkAlgorithms(where, options.algorithms);
  const algorithms = [...options.algorithms];
  const { issuer, audience } = options;
  const strings = (value: unknown): boolean =>
    typeof value === "string"
      ? value !== ""
      : Array.isArray(value) &&
        value.length > 0 &&
        value.every((item) => typeof item === "string" && item !== "");
  if (issuer !== false && !strings(issuer)) {
    fail(where, "issuer", "is required: a string, a non-empty list of strings, or false to accept any");
  }
  if (audience !== false && !strings(audience)) {
    fail(where, "audience", "is required: a string, a non-empty list of strings, or false to accept any");
  }
  const clockTolerance = checkWhole(where, "clockToleranceSec", options.clockToleranceSec ?? 0, 0, 300);
  const maxTokenAge =
    options.maxTokenAgeSec === undefined
      ? undefined
      : checkWhole(where, "maxTokenAgeSec", options.maxTokenAgeSec, 1, 31_536_000);
  const typ = options.typ ?? "JWT";
  if (
    typ !== false &&
    (typeof typ !== "string" || !/^[A-Za-z0-9!#$&^_.+-]+(?:\/[A-Za-z0-9!#$&^_.+-]+)?$/.test(typ))
  ) {
    fail(where, "typ", "must be a media type such as JWT or at+jwt, or false");
  }
  const maxTokenLength = checkWhole(where, "maxTokenLength", options.maxTokenLength ?? 8192, 16, 1_048_576);
  const crit = options.crit ?? [];
  if (!Array.isArray(crit) || !crit.every((name) => typeof name === "string" && name !== "")) {
    fail(where, "crit", "must be a list of header parameter names");
  }
  const schema = options.claims;
  if (schema !== undefined && typeof schema?.["~standard"]?.validate !== "function") {
    fail(where, "claims", "must be a Standard Schema (Zod, Valibot, ArkType...)");
  }
  // Built once: never rejects (a schema that throws or rejects is an Err, as a failed check is).
  const parseClaims = schema === undefined ? undefined : fromSchemaAsync(schema);
  const { source, ready } = keySource(where, options.key, algorithms, symmetric);

  // No prototype: jose reads options it was not given (`currentDate`...) per call, and a polluted
  // Object.prototype must not turn into one (`Object.prototype.currentDate = new Date(0)`: nothing expires).
  const verifyOptions = {
    __proto__: null,
    algorithms,
    requiredClaims: ["exp"],
    clockTolerance,
    crit: Object.fromEntries(crit.map((name) => [name, true])),
    ...(issuer === false ? {} : { issuer: typeof issuer === "string" ? issuer : [...issuer] }),
    ...(audience === false ? {} : { audience: typeof audience === "string" ? audience : [...audience] }),
    ...(typ === false ? {} : { typ }),
    ...(maxTokenAge === undefined ? {} : { maxTokenAge }),
  };
  const getKey = (header: JWTHeaderParameters): Promise<JoseCryptoKey | Uint8Array> => source(header);

  type Claims = Schema extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<Schema> : JwtClaims;
  return {
    ready,
    async verify(token) {
      if (token === undefined || token === null || token === "") return err(new JwtMissing());
      if (typeof token !== "string" || token.length > maxTokenLength || !COMPACT_JWS.test(token)) {
        return err(new JwtMalformed());
      }
      let payload: unknown;
      let header: JWTHeaderParameters;
      try {
        const verified = await jwtVerify(token, getKey, verifyOptions);
        payload = verified.payload;
        header = verified.protectedHeader;
      } catch (error) {
        return err(toJwtError(error));
      }
      if (hasProtoKey(header) || hasProtoKey(payload)) return err(new JwtMalformed());
      const invalid = invalidClaim(payload as Record<string, unknown>);
      if (invalid !== undefined) return err(new JwtClaimInvalid(invalid));
      if (parseClaims === undefined) return ok({ claims: payload as Claims, header: header as JwtHeader });
      const claims = await parseClaims(payload);
      if (claims.isErr()) return err(new JwtClaimInvalid());
      return ok({ claims: claims.value as Claims, header: header as JwtHeader });
    },
  };
}

/** Options for {@link createJwtSigner}. */
export interface JwtSignerOptions {
  /** The one algorithm tokens are signed with. */
  readonly algorithm: JwtAlgorithm;
  /**
   * The signing key: an HMAC secret (a `Secret`, string or bytes, at least the hash's size) for `HS*`, else
   * a PEM private key (`-----BEGIN PRIVATE KEY-----`, PKCS #8), a private JWK or a private `CryptoKey`.
   */
  readonly key: SecretLike | string | Uint8Array | CryptoKey | JsonWebKey;
  /** The `iss` of every token. */
  readonly issuer: string;
  /** The `aud` of every token (a call may name another). */
  readonly audience: string | readonly string[];
  /** Lifetime in seconds; defaults to 900 (15 minutes), at most 86400. Keep access tokens short. */
  readonly expiresInSec?: number;
  /** The `kid` header, so verifiers with a key set can pick the key. */
  readonly kid?: string;
  /** The `typ` header; defaults to `"JWT"` (`"at+jwt"` for RFC 9068 access tokens). */
  readonly typ?: string;
}

/** Per-token options of {@link JwtSigner.sign}. */
export interface JwtSignOptions {
  /** The `sub` claim. */
  readonly subject?: string;
  /** An `aud` for this token instead of the signer's. */
  readonly audience?: string | readonly string[];
  /** A lifetime for this token (at most the signer's bound of 86400 seconds). */
  readonly expiresInSec?: number;
  /** The `jti`; a random UUID by default (keep it to revoke or detect reuse). */
  readonly jwtId?: string;
}

/** A signer built once by {@link createJwtSigner}. */
export interface JwtSigner {
  /**
   * Signs `claims` (JSON values; not the registered claims, which come from the options) with `iss`, `aud`,
   * `iat`, `exp` and `jti` set. Rejects with a `TypeError` on a programmer error (a registered claim in
   * `claims`, an unusable key).
   */
  sign(claims?: Readonly<Record<string, unknown>>, options?: JwtSignOptions): Promise<string>;
}

const REGISTERED: readonly string[] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

/**
 * Builds, once at set-up, a JWT signer on `jose`'s `SignJWT`, for services that issue tokens: short-lived
 * (15 minutes by default, at most a day; refresh tokens belong in an opaque, rotated, server-side record:
 * see the README), with `iss`, `aud`, `iat`, `exp` and a random `jti` on every token.
 *
 * @example
 * ```ts
 * import { createJwtSigner, createJwtVerifier } from "@keel/http-security";
 *
 * const { privateKey, publicKey } = (await crypto.subtle.generateKey(
 *   { name: "ECDSA", namedCurve: "P-256" },
 *   true,
 *   ["sign", "verify"],
 * )) as CryptoKeyPair;
 * const signer = createJwtSigner({ algorithm: "ES256", key: privateKey, issuer: "https://auth.example", audience: "api", kid: "2026-12" });
 * const verifier = createJwtVerifier({ algorithms: ["ES256"], key: publicKey, issuer: "https://auth.example", audience: "api" });
 *
 * const token = await signer.sign({ scope: "orders:read" }, { subject: "user-1" });
 * const verified = await verifier.verify(token);
 * console.assert(verified.isOk() && verified.value.claims.sub === "user-1" && verified.value.header.kid === "2026-12");
 * ```
 */
export function createJwtSigner(options: JwtSignerOptions): JwtSigner {
  const where = "createJwtSigner";
  if (typeof options !== "object" || options === null) fail(where, "options", "must be an object");
  const { algorithm, issuer, audience, kid } = options;
  const symmetric = checkAlgorithms(where, [algorithm]);
  if (typeof issuer !== "string" || issuer === "") fail(where, "issuer", "must be a non-empty string");
  const validAudience = (value: unknown): boolean =>
    (typeof value === "string" && value !== "") ||
    (Array.isArray(value) &&
      value.length > 0 &&
      value.every((item) => typeof item === "string" && item !== ""));
  if (!validAudience(audience)) fail(where, "audience", "must be a string or a non-empty list of strings");
  const expiresIn = checkWhole(where, "expiresInSec", options.expiresInSec ?? 900, 1, 86_400);
  if (kid !== undefined && (typeof kid !== "string" || kid === ""))
    fail(where, "kid", "must be a non-empty string");
  const typ = options.typ ?? "JWT";
  if (typeof typ !== "string" || typ === "") fail(where, "typ", "must be a non-empty string");

  const key = options.key;
  let signingKey: Promise<JoseCryptoKey | Uint8Array>;
  if (symmetric && !isCryptoKey(key)) {
    signingKey = hmacKey(secretBytes(where, key, [algorithm]), algorithm, "sign");
  } else if (isCryptoKey(key)) {
    checkCryptoKey(where, key, [algorithm], "sign");
    signingKey = Promise.resolve(key as JoseCryptoKey);
  } else if (typeof key === "string") {
    if (!/^\s*-----BEGIN PRIVATE KEY-----/.test(key)) {
      fail(where, "key", "must be a PEM private key (-----BEGIN PRIVATE KEY-----, PKCS #8)");
    }
    signingKey = importPKCS8(key, algorithm);
  } else if (typeof key === "object" && key !== null && !isSecretLike(key) && !(key instanceof Uint8Array)) {
    checkJwk(where, key as JsonWebKey, "sign");
    signingKey = importJWK(key as JWK, algorithm) as Promise<JoseCryptoKey | Uint8Array>;
  } else {
    signingKey = fail(
      where,
      "key",
      "must be a PEM private key, a private JWK or a CryptoKey for this algorithm",
    );
  }
  const usableKey = signingKey.catch((cause: unknown) => {
    throw new TypeError(`${where}: key cannot be used for ${algorithm}`, { cause });
  });
  usableKey.catch(() => undefined);

  return {
    async sign(claims = {}, signOptions = {}) {
      if (typeof claims !== "object" || claims === null || Array.isArray(claims)) {
        throw new TypeError("sign: claims must be an object");
      }
      for (const name of REGISTERED) {
        if (Object.hasOwn(claims, name)) {
          throw new TypeError(`sign: claims may not set "${name}"; the signer and its options set it`);
        }
      }
      // Verifiers of this package refuse it; a token no verifier takes is a programmer error.
      if (hasProtoKey(claims)) throw new TypeError("sign: claims may not hold a __proto__ key");
      const tokenAudience = signOptions.audience ?? audience;
      if (!validAudience(tokenAudience))
        throw new TypeError("sign: audience must be a string or a list of strings");
      const lifetime =
        signOptions.expiresInSec === undefined
          ? expiresIn
          : checkWhole("sign", "expiresInSec", signOptions.expiresInSec, 1, 86_400);
      const now = Math.floor(Date.now() / 1000);
      let jwt = new SignJWT({ ...claims })
        .setProtectedHeader({ alg: algorithm, typ, ...(kid === undefined ? {} : { kid }) })
        .setIssuer(issuer)
        .setAudience(typeof tokenAudience === "string" ? tokenAudience : [...tokenAudience])
        .setIssuedAt(now)
        .setExpirationTime(now + lifetime)
        .setJti(signOptions.jwtId ?? crypto.randomUUID());
      if (signOptions.subject !== undefined) jwt = jwt.setSubject(signOptions.subject);
      return jwt.sign(await usableKey);
    },
  };
}
