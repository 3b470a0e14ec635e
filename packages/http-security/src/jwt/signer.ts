/**
 * `createJwtSigner`: short-lived tokens signed with `jose`'s `SignJWT`, with `iss`, `aud`, `iat`, `exp` and a random `jti`.
 *
 * @module
 */
import { importJWK, importPKCS8, type CryptoKey as JoseCryptoKey, type JWK, SignJWT } from "jose";
import { checkWhole, optionError as fail, refuseUnknownKeys } from "../_internal/options.ts";
import { checkAlgorithms, type JwtAlgorithm } from "./algorithms.ts";
import { hasProtoKey } from "./claims.ts";
import {
  checkCryptoKey,
  checkJwk,
  hmacKey,
  isCryptoKey,
  isSecretLike,
  type SecretLike,
  secretBytes,
} from "./keys.ts";

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
 * import { createJwtSigner, createJwtVerifier } from "@keel/http-security/jwt";
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
  refuseUnknownKeys(where, options, ["algorithm", "key", "issuer", "audience", "expiresInSec", "kid", "typ"]);
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
      refuseUnknownKeys("sign", signOptions, ["subject", "audience", "expiresInSec", "jwtId"]);
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
