/**
 * The expected failures of JWT verification, as tagged errors. None carries the token, a claim's value or
 * any other text the client sent: a problem or a log line built from them repeats nothing of the token.
 *
 * @module
 */
import { TaggedError } from "@keel/result";
import type { TaggedErrorClass } from "../_internal/external-types.ts";

// Typed constants, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const /** @ignore */ JwtMissingBase: TaggedErrorClass<"JwtMissing"> =
    /* @__PURE__ */ TaggedError("JwtMissing");
const /** @ignore */ JwtMalformedBase: TaggedErrorClass<"JwtMalformed"> =
    /* @__PURE__ */ TaggedError("JwtMalformed");
const /** @ignore */ JwtAlgorithmNotAllowedBase: TaggedErrorClass<"JwtAlgorithmNotAllowed"> =
    /* @__PURE__ */ TaggedError("JwtAlgorithmNotAllowed");
const /** @ignore */ JwtInvalidSignatureBase: TaggedErrorClass<"JwtInvalidSignature"> =
    /* @__PURE__ */ TaggedError("JwtInvalidSignature");
const /** @ignore */ JwtExpiredBase: TaggedErrorClass<"JwtExpired"> =
    /* @__PURE__ */ TaggedError("JwtExpired");
const /** @ignore */ JwtNotYetValidBase: TaggedErrorClass<"JwtNotYetValid"> =
    /* @__PURE__ */ TaggedError("JwtNotYetValid");
const /** @ignore */ JwtClaimInvalidBase: TaggedErrorClass<"JwtClaimInvalid"> =
    /* @__PURE__ */ TaggedError("JwtClaimInvalid");
const /** @ignore */ JwtKeyUnavailableBase: TaggedErrorClass<"JwtKeyUnavailable"> =
    /* @__PURE__ */ TaggedError("JwtKeyUnavailable");

/**
 * No token: the request has no `Authorization: Bearer` header (nor the configured cookie), or the token
 * handed to `verify` is empty.
 *
 * @example
 * ```ts
 * import { JwtMissing } from "@keel/http-security/jwt";
 * console.assert(new JwtMissing()._tag === "JwtMissing");
 * ```
 */
export class JwtMissing extends JwtMissingBase {
  constructor() {
    super({ message: "No bearer token" });
  }
}

/**
 * Not a compact JWS this verifier reads: longer than `maxTokenLength`, not three base64url parts, a header
 * or payload that is not a JSON object (or holds a `__proto__` key), a `crit` header parameter that is not
 * understood, a bad `Authorization` header syntax.
 *
 * @example
 * ```ts
 * import { JwtMalformed } from "@keel/http-security/jwt";
 * console.assert(new JwtMalformed()._tag === "JwtMalformed");
 * ```
 */
export class JwtMalformed extends JwtMalformedBase {
  constructor() {
    super({ message: "Malformed token" });
  }
}

/**
 * The token's `alg` header is not one of the verifier's `algorithms` (`none` never is).
 *
 * @example
 * ```ts
 * import { JwtAlgorithmNotAllowed } from "@keel/http-security/jwt";
 * console.assert(new JwtAlgorithmNotAllowed()._tag === "JwtAlgorithmNotAllowed");
 * ```
 */
export class JwtAlgorithmNotAllowed extends JwtAlgorithmNotAllowedBase {
  constructor() {
    super({ message: "Token algorithm not allowed" });
  }
}

/**
 * The signature does not verify, or no key of the key set matches the token's `kid` and `alg`.
 *
 * @example
 * ```ts
 * import { JwtInvalidSignature } from "@keel/http-security/jwt";
 * console.assert(new JwtInvalidSignature()._tag === "JwtInvalidSignature");
 * ```
 */
export class JwtInvalidSignature extends JwtInvalidSignatureBase {
  constructor() {
    super({ message: "Invalid token signature" });
  }
}

/**
 * The token's `exp` has passed (beyond the clock tolerance), or its `iat` is older than `maxTokenAgeSec`.
 *
 * @example
 * ```ts
 * import { JwtExpired } from "@keel/http-security/jwt";
 * console.assert(new JwtExpired()._tag === "JwtExpired");
 * ```
 */
export class JwtExpired extends JwtExpiredBase {
  constructor() {
    super({ message: "Token expired" });
  }
}

/**
 * The token's `nbf` is still in the future (beyond the clock tolerance).
 *
 * @example
 * ```ts
 * import { JwtNotYetValid } from "@keel/http-security/jwt";
 * console.assert(new JwtNotYetValid()._tag === "JwtNotYetValid");
 * ```
 */
export class JwtNotYetValid extends JwtNotYetValidBase {
  constructor() {
    super({ message: "Token not yet valid" });
  }
}

/**
 * A claim (or the `typ` header) is missing, has the wrong type (`exp` as a string or not finite, a
 * non-string `sub`) or the wrong value (`iss`, `aud`), or the payload failed the `claims` schema. `claim`
 * names a registered claim when one is at fault (`"exp"`, `"aud"`, `"typ"`...), `undefined` for a schema
 * failure; the value is never kept.
 *
 * @example
 * ```ts
 * import { JwtClaimInvalid } from "@keel/http-security/jwt";
 * const error = new JwtClaimInvalid("aud");
 * console.assert(error._tag === "JwtClaimInvalid" && error.claim === "aud");
 * ```
 */
export class JwtClaimInvalid extends JwtClaimInvalidBase<{ claim: string | undefined }> {
  /**
   * Builds the error for the registered claim at fault (`"exp"`, `"aud"`...), or with no argument for a
   * payload the `claims` schema refused. The verifier makes these; build one to test a refusal path.
   */
  constructor(claim?: string) {
    super({ claim, message: claim === undefined ? "Invalid token claims" : `Invalid "${claim}" claim` });
  }
}

/**
 * The verification key could not be had: the remote JWKS timed out, failed or answered something that is
 * not a key set, or a configured PEM/JWK could not be imported. Not the client's fault: answered as 503,
 * and the underlying error is kept as `cause` for logs (never sent).
 *
 * @example
 * ```ts
 * import { JwtKeyUnavailable } from "@keel/http-security/jwt";
 * console.assert(new JwtKeyUnavailable()._tag === "JwtKeyUnavailable");
 * ```
 */
export class JwtKeyUnavailable extends JwtKeyUnavailableBase {
  /**
   * Builds the error, keeping the failure that made the key unavailable (a fetch or an import error) as
   * `cause` for logs; the message never names it. The verifier makes these; build one to test the 503 path.
   */
  constructor(cause?: unknown) {
    super({ message: "Token verification key unavailable", ...(cause === undefined ? {} : { cause }) });
  }
}

/** Every error a JWT verification can end with. */
export type JwtError =
  | JwtMissing
  | JwtMalformed
  | JwtAlgorithmNotAllowed
  | JwtInvalidSignature
  | JwtExpired
  | JwtNotYetValid
  | JwtClaimInvalid
  | JwtKeyUnavailable;
