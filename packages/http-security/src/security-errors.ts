/**
 * @module
 * The expected rejections of the CORS and cross-origin protection checks, as tagged errors. None carries
 * the request's Origin or any other header value: a problem built from them repeats nothing the client sent.
 */
import { TaggedError, type TaggedErrorClass } from "@keel/result";

// Typed constants, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const CrossOriginRequestBase: TaggedErrorClass<"CrossOriginRequest"> =
  /* @__PURE__ */ TaggedError("CrossOriginRequest");
const CrossOriginRequestFromOldBrowserBase: TaggedErrorClass<"CrossOriginRequestFromOldBrowser"> =
  /* @__PURE__ */ TaggedError("CrossOriginRequestFromOldBrowser");
const CorsOriginNotAllowedBase: TaggedErrorClass<"CorsOriginNotAllowed"> =
  /* @__PURE__ */ TaggedError("CorsOriginNotAllowed");
const CorsMethodNotAllowedBase: TaggedErrorClass<"CorsMethodNotAllowed"> =
  /* @__PURE__ */ TaggedError("CorsMethodNotAllowed");
const BodyTooLargeBase: TaggedErrorClass<"BodyTooLarge"> = /* @__PURE__ */ TaggedError("BodyTooLarge");
const UnsupportedMediaTypeBase: TaggedErrorClass<"UnsupportedMediaType"> =
  /* @__PURE__ */ TaggedError("UnsupportedMediaType");
const ClientAddressUnknownBase: TaggedErrorClass<"ClientAddressUnknown"> =
  /* @__PURE__ */ TaggedError("ClientAddressUnknown");
const InvalidIpAddressBase: TaggedErrorClass<"InvalidIpAddress"> =
  /* @__PURE__ */ TaggedError("InvalidIpAddress");
const CorsHeaderNotAllowedBase: TaggedErrorClass<"CorsHeaderNotAllowed"> =
  /* @__PURE__ */ TaggedError("CorsHeaderNotAllowed");

/**
 * A state-changing request the browser marked as cross-site or same-site (`Sec-Fetch-Site`), from an
 * origin that is not trusted.
 *
 * @example
 * ```ts
 * import { CrossOriginRequest } from "@keel/http-security";
 * console.assert(new CrossOriginRequest()._tag === "CrossOriginRequest");
 * ```
 */
export class CrossOriginRequest extends CrossOriginRequestBase {
  constructor() {
    super({ message: "Cross-origin request refused" });
  }
}

/**
 * A state-changing request without `Sec-Fetch-Site` (an older browser) whose `Origin` does not match the
 * request's host.
 *
 * @example
 * ```ts
 * import { CrossOriginRequestFromOldBrowser } from "@keel/http-security";
 * console.assert(new CrossOriginRequestFromOldBrowser()._tag === "CrossOriginRequestFromOldBrowser");
 * ```
 */
export class CrossOriginRequestFromOldBrowser extends CrossOriginRequestFromOldBrowserBase {
  constructor() {
    super({ message: "Cross-origin request refused" });
  }
}

/**
 * A CORS preflight from an origin the allow-list does not hold.
 *
 * @example
 * ```ts
 * import { CorsOriginNotAllowed } from "@keel/http-security";
 * console.assert(new CorsOriginNotAllowed()._tag === "CorsOriginNotAllowed");
 * ```
 */
export class CorsOriginNotAllowed extends CorsOriginNotAllowedBase {
  constructor() {
    super({ message: "CORS preflight refused: origin not allowed" });
  }
}

/**
 * A CORS preflight asking for a method the allow-list does not hold.
 *
 * @example
 * ```ts
 * import { CorsMethodNotAllowed } from "@keel/http-security";
 * console.assert(new CorsMethodNotAllowed()._tag === "CorsMethodNotAllowed");
 * ```
 */
export class CorsMethodNotAllowed extends CorsMethodNotAllowedBase {
  constructor() {
    super({ message: "CORS preflight refused: method not allowed" });
  }
}

/**
 * A CORS preflight asking for a request header the allow-list does not hold.
 *
 * @example
 * ```ts
 * import { CorsHeaderNotAllowed } from "@keel/http-security";
 * console.assert(new CorsHeaderNotAllowed()._tag === "CorsHeaderNotAllowed");
 * ```
 */
export class CorsHeaderNotAllowed extends CorsHeaderNotAllowedBase {
  constructor() {
    super({ message: "CORS preflight refused: request header not allowed" });
  }
}

/**
 * A request body over the configured byte limit (by its `Content-Length`, or counted as it was read).
 *
 * @example
 * ```ts
 * import { BodyTooLarge } from "@keel/http-security";
 * console.assert(new BodyTooLarge()._tag === "BodyTooLarge");
 * ```
 */
export class BodyTooLarge extends BodyTooLargeBase {
  constructor() {
    super({ message: "The request body is too large" });
  }
}

/**
 * A request body whose `Content-Type` is missing or not in the allow-list.
 *
 * @example
 * ```ts
 * import { UnsupportedMediaType } from "@keel/http-security";
 * console.assert(new UnsupportedMediaType()._tag === "UnsupportedMediaType");
 * ```
 */
export class UnsupportedMediaType extends UnsupportedMediaTypeBase {
  constructor() {
    super({ message: "The request body's media type is not accepted" });
  }
}

/**
 * No client address could be found: the runtime gave none (or not an IP address) and no trusted header
 * named one. A deployment problem rather than the client's: it is not in `httpSecurityProblemStatuses`,
 * so a problem mapper answers it as a 500.
 *
 * @example
 * ```ts
 * import { ClientAddressUnknown } from "@keel/http-security";
 * console.assert(new ClientAddressUnknown()._tag === "ClientAddressUnknown");
 * ```
 */
export class ClientAddressUnknown extends ClientAddressUnknownBase {
  constructor() {
    super({ message: "The client address is unknown" });
  }
}

/**
 * Text that is not an IP address in the strict form `ipKey` reads (the message does not repeat it).
 *
 * @example
 * ```ts
 * import { InvalidIpAddress } from "@keel/http-security";
 * console.assert(new InvalidIpAddress()._tag === "InvalidIpAddress");
 * ```
 */
export class InvalidIpAddress extends InvalidIpAddressBase {
  constructor() {
    super({ message: "Not an IP address" });
  }
}

/** Every error a body limit can end with. */
export type BodyLimitError = BodyTooLarge | UnsupportedMediaType;

/** Every error a CORS preflight check can end with. */
export type CorsError = CorsOriginNotAllowed | CorsMethodNotAllowed | CorsHeaderNotAllowed;

/** Every error the cross-origin (CSRF) protection can end with. */
export type CrossOriginError = CrossOriginRequest | CrossOriginRequestFromOldBrowser;

/**
 * The status of every error of this package, ready to spread into `createProblemMapper`'s `statuses`:
 * 403 for CORS and cross-origin refusals, 413 for a body too large, 415 for a media type not accepted,
 * 429 for a request over its rate limit, 503 for a rate-limit store that could not decide, 400 for a
 * password refused before hashing (empty, too long, not well-formed; a stored hash that cannot be read is
 * the server's problem, answered 500).
 *
 * @example
 * ```ts
 * import { createProblemMapper } from "@keel/result";
 * import { CrossOriginRequest, httpSecurityProblemStatuses } from "@keel/http-security";
 * const problems = createProblemMapper({ statuses: { ...httpSecurityProblemStatuses } });
 * console.assert(problems.toResponse(new CrossOriginRequest()).status === 403);
 * ```
 */
export const httpSecurityProblemStatuses: {
  readonly CrossOriginRequest: 403;
  readonly CrossOriginRequestFromOldBrowser: 403;
  readonly CorsOriginNotAllowed: 403;
  readonly CorsMethodNotAllowed: 403;
  readonly CorsHeaderNotAllowed: 403;
  readonly BodyTooLarge: 413;
  readonly UnsupportedMediaType: 415;
  readonly RateLimited: 429;
  readonly RateLimitStoreUnavailable: 503;
  readonly JwtMissing: 401;
  readonly JwtMalformed: 401;
  readonly JwtAlgorithmNotAllowed: 401;
  readonly JwtInvalidSignature: 401;
  readonly JwtExpired: 401;
  readonly JwtNotYetValid: 401;
  readonly JwtClaimInvalid: 401;
  readonly JwtKeyUnavailable: 503;
  readonly PasswordEmpty: 400;
  readonly PasswordTooLong: 400;
  readonly PasswordNotWellFormed: 400;
} = {
  CrossOriginRequest: 403,
  CrossOriginRequestFromOldBrowser: 403,
  CorsOriginNotAllowed: 403,
  CorsMethodNotAllowed: 403,
  CorsHeaderNotAllowed: 403,
  BodyTooLarge: 413,
  UnsupportedMediaType: 415,
  RateLimited: 429,
  RateLimitStoreUnavailable: 503,
  JwtMissing: 401,
  JwtMalformed: 401,
  JwtAlgorithmNotAllowed: 401,
  JwtInvalidSignature: 401,
  JwtExpired: 401,
  JwtNotYetValid: 401,
  JwtClaimInvalid: 401,
  JwtKeyUnavailable: 503,
  PasswordEmpty: 400,
  PasswordTooLong: 400,
  PasswordNotWellFormed: 400,
};
