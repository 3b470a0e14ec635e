export { type BodyLimit, type BodyLimitOptions, createBodyLimit, type LimitedRequest } from "./body-limit.ts";
export { type Cors, type CorsOptions, createCors } from "./cors.ts";
export {
  type CrossOriginProtection,
  type CrossOriginProtectionOptions,
  createCrossOriginProtection,
} from "./csrf.ts";
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
  type CorsError,
  CorsHeaderNotAllowed,
  CorsMethodNotAllowed,
  CorsOriginNotAllowed,
  type CrossOriginError,
  CrossOriginRequest,
  CrossOriginRequestFromOldBrowser,
  httpSecurityProblemStatuses,
  UnsupportedMediaType,
} from "./security-errors.ts";
