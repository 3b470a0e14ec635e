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
export {
  createHtmlSecurity,
  createJsonApiSecurity,
  type HtmlSecurityOptions,
  type JsonApiSecurityOptions,
  type SecurityPreset,
} from "./preset.ts";
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
