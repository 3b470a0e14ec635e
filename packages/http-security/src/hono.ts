/**
 * `@keel/http-security/hono`: every concern's Hono middleware. Secure headers, CORS, cross-origin (CSRF)
 * protection, body limits, request ids, client IPs, the presets, rate limits and JWT authentication.
 * Refusals are RFC 9457 problems (401, 403, 413, 415, 429, 503) from a `@keel/result` problem mapper,
 * repeating nothing the client sent. `c.var.requestId` is typed for every app (Hono's own entry of
 * `ContextVariableMap`); `clientIpOf(c)` and `jwtClaims(c)` read the client address and the verified claims
 * where the route's env does not list them.
 *
 * @module
 */
export { type BodyLimitMiddlewareOptions, bodyLimit } from "./body-limit/hono.ts";
export { type ClientIpEnv, type ClientIpMiddlewareOptions, clientIp, clientIpOf } from "./client-ip/hono.ts";
export { type CorsMiddlewareOptions, cors } from "./cors/hono.ts";
export {
  type CrossOriginProtectionMiddlewareOptions,
  crossOriginProtection,
} from "./cross-origin/hono.ts";
export { type SecureHeadersEnv, secureHeaders } from "./headers/hono.ts";
export { type JwtAuthEnv, type JwtAuthOptions, jwtAuth, jwtClaims } from "./jwt/hono.ts";
export {
  type HtmlSecurityMiddlewareOptions,
  htmlSecurity,
  type JsonApiSecurityMiddlewareOptions,
  jsonApiSecurity,
  type SecurityPresetEnv,
} from "./preset/hono.ts";
export {
  byClientIp,
  type RateLimitMiddlewareOptions,
  rateLimit,
  rateLimitResponse,
} from "./rate-limit/hono.ts";
export { type RequestIdEnv, requestId } from "./request-id/hono.ts";
