/**
 * What `jose` (or a key source) throws, mapped to this package's tagged JWT errors.
 *
 * @module
 */
import { errors } from "jose";
import { NAMED_CLAIMS } from "./claims.ts";
import {
  JwtAlgorithmNotAllowed,
  JwtClaimInvalid,
  type JwtError,
  JwtExpired,
  JwtInvalidSignature,
  JwtKeyUnavailable,
  JwtMalformed,
  JwtNotYetValid,
} from "./errors.ts";
import { KeyUnavailable } from "./jwks.ts";

/** Maps whatever jose (or the key source) threw to one of the tagged errors; nothing of the token is kept. */
export function toJwtError(error: unknown): JwtError {
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
