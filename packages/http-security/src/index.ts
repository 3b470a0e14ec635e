/**
 * `@keel/http-security`: request hygiene as Web-standard code. Secure headers with a validated CSP and
 * nonces, strict CORS, cross-origin (CSRF) protection, body limits, request ids, client IPs through trusted
 * proxies, secure and signed cookies, and the presets that combine them. Rate limiting, JWT and passwords
 * are their own entries (`/rate-limit`, `/jwt`, `/password`), so importing this one loads none of them.
 *
 * @module
 */
export {
  type BodyLimit,
  type BodyLimitOptions,
  createBodyLimit,
  type LimitedRequest,
} from "./body-limit/body-limit.ts";
export {
  BodyIncomplete,
  type BodyLimitError,
  BodyTooLarge,
  MediaTypeUnsupported,
} from "./body-limit/errors.ts";
export {
  type ClientIp,
  type ClientIpOptions,
  createClientIp,
  type IpNetworkOptions,
  ipNetwork,
} from "./client-ip/client-ip.ts";
export {
  ClientAddressUnknown,
  type ClientIpError,
  IpAddressInvalid,
} from "./client-ip/errors.ts";
export {
  type CookieOptions,
  createSignedCookies,
  parseCookies,
  type SignedCookies,
  type SignedCookiesOptions,
  serializeCookie,
} from "./cookies/cookies.ts";
export { type Cors, type CorsOptions, createCors } from "./cors/cors.ts";
export {
  type CorsError,
  CorsHeaderNotAllowed,
  CorsMethodNotAllowed,
  CorsOriginNotAllowed,
} from "./cors/errors.ts";
export {
  type CrossOriginProtection,
  type CrossOriginProtectionOptions,
  createCrossOriginProtection,
} from "./cross-origin/cross-origin-protection.ts";
export {
  type CrossOriginError,
  CrossOriginRequest,
  CrossOriginRequestFromOldBrowser,
} from "./cross-origin/errors.ts";
export {
  type CspDirectiveName,
  type CspDirectives,
  type CspOptions,
  type CspPreset,
  createSecureHeaders,
  defaultPermissionsPolicy,
  generateCspNonce,
  type PermissionsPolicy,
  type ReferrerPolicyValue,
  type SecureHeaders,
  type SecureHeadersOptions,
} from "./headers/secure-headers.ts";
export {
  createHtmlSecurity,
  createJsonApiSecurity,
  type HtmlSecurityOptions,
  type JsonApiSecurityOptions,
  type SecurityPreset,
} from "./preset/preset.ts";
export { httpSecurityProblemStatuses } from "./problem-statuses.ts";
export { createRequestId, type RequestId, type RequestIdOptions } from "./request-id/request-id.ts";
export { timingSafeEqual } from "./timing-safe/timing-safe.ts";
