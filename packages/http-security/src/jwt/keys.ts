/**
 * Verification and signing keys: HMAC secrets checked against their hash's size, PEM and JWK keys imported once per algorithm, CryptoKeys checked for their type.
 *
 * @module
 */
import { errors, importJWK, importSPKI, type CryptoKey as JoseCryptoKey, type JWK } from "jose";
import { optionError as fail } from "../_internal/options.ts";
import { HMAC_BYTES, isHmac } from "./algorithms.ts";
import { type KeySource, KeyUnavailable, type RemoteJwksOptions, remoteKeySource } from "./jwks.ts";

/** A `@keel/secure-config` `Secret` (or anything with its `reveal()`) holding an HMAC secret. */
export interface SecretLike {
  /** Returns the secret itself, a string or bytes; called once, when the verifier or signer is created. */
  reveal(): unknown;
}

/**
 * A verification key: an HMAC secret (a `Secret`, a string or bytes, at least as long as the hash: 32 bytes
 * for HS256, 48 for HS384, 64 for HS512), a PEM public key (`-----BEGIN PUBLIC KEY-----`, SPKI), a public
 * JWK, a `CryptoKey`, or a remote JWKS.
 */
export type JwtVerifyKey = SecretLike | string | Uint8Array | CryptoKey | JsonWebKey | RemoteJwksOptions;

const encoder = /* @__PURE__ */ new TextEncoder();

export const isCryptoKey = (key: unknown): key is CryptoKey =>
  typeof CryptoKey === "function" && key instanceof CryptoKey;
export const isSecretLike = (key: unknown): key is SecretLike =>
  typeof key === "object" && key !== null && typeof (key as SecretLike).reveal === "function";
// A PEM (SPKI, certificate...) or a JWK's JSON is a public key, never an HMAC secret, as text or as bytes.
const looksLikePublicKey = (text: string): boolean => /-----BEGIN |^\s*\{[\s\S]*"kty"/.test(text);

/** The secret's bytes, checked against the longest hash of `algorithms`. */
export function secretBytes(where: string, key: unknown, algorithms: readonly string[]): Uint8Array {
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

/** Imports `key` once per algorithm, at set-up; a failed import is reported by `ready()` and `verify`. */
export function localKeySource(
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

export function checkCryptoKey(
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

export function checkJwk(where: string, jwk: JsonWebKey, usage: "verify" | "sign"): void {
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

export const hmacKey = (bytes: Uint8Array, alg: string, usage: "sign" | "verify"): Promise<JoseCryptoKey> =>
  crypto.subtle.importKey(
    "raw",
    bytes as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: `SHA-${alg.slice(2)}` },
    false,
    [usage],
  ) as Promise<JoseCryptoKey>;

/** Resolves the verifier's key source from its options, once. */
export function keySource(
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
