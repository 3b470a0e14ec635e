/**
 * `@keel/http-security/jwt`: JWT verification and signing on `jose`. An algorithm allow-list that is
 * required (`none` impossible, symmetric and asymmetric never mixed), `iss`/`aud`/`exp`/`nbf`/`typ` checked
 * by default, keys from a secret, a PEM or JWK, or a remote JWKS (cached, one fetch in flight, a cooldown
 * after every fetch, stale keys during an outage, an optional shared store), claims validated by a Standard Schema, an optional cache of verified tokens, RFC 6750 bearer-token reading, and
 * every failure a tagged error in a `Result`. The only entry that loads `jose`.
 *
 * @module
 */
export type { JwtAlgorithm } from "./algorithms.ts";
export { type BearerAuth, type BearerAuthOptions, createBearerAuth } from "./bearer.ts";
export type { JwtClaims, JwtHeader } from "./claims.ts";
export * from "./errors.ts";
export type { JwksSnapshot, JwksStore, RemoteJwksOptions } from "./jwks.ts";
export type { JwtVerifyKey, SecretLike } from "./keys.ts";
export {
  createJwtSigner,
  type JwtSigner,
  type JwtSignerOptions,
  type JwtSignOptions,
} from "./signer.ts";
export type { JwtVerifierCacheOptions } from "./verified-cache.ts";
export {
  createJwtVerifier,
  type JwtVerifier,
  type JwtVerifierOptions,
  type VerifiedJwt,
} from "./verifier.ts";
