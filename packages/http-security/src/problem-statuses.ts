/**
 * The HTTP status of every error of this package, by `_tag`: a constant, so it pulls in no concern's code.
 *
 * @module
 */

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
  readonly BodyIncomplete: 400;
  readonly MediaTypeUnsupported: 415;
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
  BodyIncomplete: 400,
  MediaTypeUnsupported: 415,
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
