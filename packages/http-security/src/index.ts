export { type BodyLimit, type BodyLimitOptions, createBodyLimit, type LimitedRequest } from "./body-limit.ts";
export {
  type ClientIp,
  type ClientIpOptions,
  createClientIp,
  type IpKeyOptions,
  ipKey,
} from "./client-ip.ts";
export {
  type CookieOptions,
  createSignedCookies,
  parseCookies,
  type SignedCookies,
  type SignedCookiesOptions,
  serializeCookie,
} from "./cookies.ts";
export { type Cors, type CorsOptions, createCors } from "./cors.ts";
export {
  type CrossOriginProtection,
  type CrossOriginProtectionOptions,
  createCrossOriginProtection,
} from "./csrf.ts";
// JWT
export {
  createJwtSigner,
  createJwtVerifier,
  type JwtAlgorithm,
  type JwtClaims,
  type JwtHeader,
  type JwtSigner,
  type JwtSignerOptions,
  type JwtSignOptions,
  type JwtVerifier,
  type JwtVerifierOptions,
  type JwtVerifyKey,
  type RemoteJwksOptions,
  type SecretLike,
  type VerifiedJwt,
} from "./jwt.ts";
export {
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
export { createMemoryStore, type MemoryStore, type MemoryStoreOptions } from "./memory-store.ts";
// Passwords
// The hasher itself is the "@keel/http-security/password" entry (it loads node:crypto or @noble/hashes);
// its errors are here too, beside httpSecurityProblemStatuses.
export {
  MalformedPasswordHash,
  PasswordEmpty,
  type PasswordError,
  type PasswordHashError,
  PasswordHashingFailed,
  type PasswordInputError,
  PasswordNotWellFormed,
  PasswordTooLong,
  UnsupportedPasswordHash,
} from "./password-errors.ts";
export {
  createHtmlSecurity,
  createJsonApiSecurity,
  type HtmlSecurityOptions,
  type JsonApiSecurityOptions,
  type SecurityPreset,
} from "./preset.ts";
export {
  createLoginLimiter,
  createRateLimiter,
  ipRateLimitKey,
  type LoginAttempt,
  type LoginLimiter,
  type LoginLimiterOptions,
  loginAccountKey,
  type RateLimitCheck,
  type RateLimiter,
  type RateLimiterOptions,
  rateLimitKey,
} from "./rate-limit.ts";
// Rate limiting
export {
  type RateLimitError,
  RateLimited,
  type RateLimitedFields,
  RateLimitStoreUnavailable,
} from "./rate-limit-errors.ts";
export type {
  RateLimitAlgorithm,
  RateLimitDecision,
  RateLimitPolicy,
  RateLimitStore,
} from "./rate-limit-store.ts";
export {
  type BunRedisLike,
  createRedisStore,
  fromBunRedis,
  fromIoredis,
  fromNodeRedis,
  type IoredisLike,
  type NodeRedisLike,
  type RedisScriptClient,
  type RedisStore,
  type RedisStoreOptions,
} from "./redis-store.ts";
export { createRequestId, type RequestId, type RequestIdOptions } from "./request-id.ts";
export {
  type CspDirectiveName,
  type CspDirectives,
  type CspOptions,
  type CspPreset,
  createCspNonce,
  createSecureHeaders,
  defaultPermissionsPolicy,
  type PermissionsPolicy,
  type ReferrerPolicyValue,
  type SecureHeaders,
  type SecureHeadersOptions,
} from "./secure-headers.ts";
export {
  type BodyLimitError,
  BodyTooLarge,
  ClientAddressUnknown,
  type CorsError,
  CorsHeaderNotAllowed,
  CorsMethodNotAllowed,
  CorsOriginNotAllowed,
  type CrossOriginError,
  CrossOriginRequest,
  CrossOriginRequestFromOldBrowser,
  httpSecurityProblemStatuses,
  InvalidIpAddress,
  UnsupportedMediaType,
} from "./security-errors.ts";
export { timingSafeEqual } from "./timing-safe.ts";
export {
  createDurableObjectStore,
  type DurableObjectStoreOptions,
  fromRateLimitBinding,
  type RateLimitBinding,
  type RateLimitBindingOptions,
  type RateLimiterNamespace,
  RateLimiterObject,
  type RateLimiterObjectState,
  type RateLimiterStorage,
  type RateLimiterStub,
} from "./workers-store.ts";
