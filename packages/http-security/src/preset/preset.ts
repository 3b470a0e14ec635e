/**
 * Presets: the package's checks built together with safe defaults, for a JSON API and for an HTML site.
 *
 * @module
 */

import { refuseUnknownKeys } from "../_internal/options.ts";
import { type BodyLimit, type BodyLimitOptions, createBodyLimit } from "../body-limit/body-limit.ts";
import { type Cors, type CorsOptions, createCors } from "../cors/cors.ts";
import {
  type CrossOriginProtection,
  type CrossOriginProtectionOptions,
  createCrossOriginProtection,
} from "../cross-origin/cross-origin-protection.ts";
import {
  type CspOptions,
  createSecureHeaders,
  type SecureHeaders,
  type SecureHeadersOptions,
} from "../headers/secure-headers.ts";
import { createRequestId, type RequestId, type RequestIdOptions } from "../request-id/request-id.ts";

/** Options of {@link createJsonApiSecurity}: each part takes its own options, or `false` to leave it out. */
export interface JsonApiSecurityOptions {
  /** The origins allowed to call the API from a browser (CORS); required, there is no default. */
  readonly origin: CorsOptions["origin"];
  /** The rest of the CORS options (credentials, allowed methods and headers...). */
  readonly cors?: Omit<CorsOptions, "origin">;
  /** Secure headers; the CSP preset defaults to `"api"` (`default-src 'none'; frame-ancestors 'none'`). */
  readonly secureHeaders?: SecureHeadersOptions;
  /** Cross-origin (CSRF) protection; on by default, trusting the origins listed in `origin`. */
  readonly crossOriginProtection?: CrossOriginProtectionOptions | false;
  /** Body limit; defaults to 1 MiB of `application/json`. */
  readonly bodyLimit?: BodyLimitOptions | false;
  /** Request ids; on by default (`x-request-id`). */
  readonly requestId?: RequestIdOptions | false;
}

/**
 * Options of {@link createHtmlSecurity}: as for a JSON API, but CORS is off unless `origin` is given, and
 * `Referrer-Policy` defaults to `same-origin` (see {@link createHtmlSecurity}).
 */
export interface HtmlSecurityOptions extends Omit<JsonApiSecurityOptions, "origin"> {
  /** The origins allowed to read responses cross-origin; none by default (no CORS headers at all). */
  readonly origin?: CorsOptions["origin"];
}

/** The parts a preset built; a part left out is `undefined`. */
export interface SecurityPreset {
  /** The security headers (CSP, HSTS, `X-Content-Type-Options`...); always built, for every response. */
  readonly secureHeaders: SecureHeaders;
  /** The CORS checks and headers; `undefined` when no `origin` was given (no CORS headers at all). */
  readonly cors: Cors | undefined;
  /** The cross-origin (CSRF) check of unsafe methods; `undefined` with `crossOriginProtection: false`. */
  readonly crossOriginProtection: CrossOriginProtection | undefined;
  /** The request body's size and media-type limit; `undefined` with `bodyLimit: false`. */
  readonly bodyLimit: BodyLimit | undefined;
  /** The request id, read or made per request; `undefined` with `requestId: false`. */
  readonly requestId: RequestId | undefined;
}

/**
 * An origin allowed to make credentialed CORS calls must also pass the CSRF check, or the browser app the
 * allow-list names could not write: its listed origins join `trustedOrigins`. A predicate cannot be listed
 * (pass `crossOriginProtection.trustedOrigins` yourself), and `"*"` never makes a write trusted.
 */
function trustCorsOrigins(
  protection: CrossOriginProtectionOptions | undefined,
  origin: CorsOptions["origin"] | undefined,
): CrossOriginProtectionOptions | undefined {
  if (!Array.isArray(origin)) return protection;
  const listed = origin.filter((value) => value !== "*");
  if (listed.length === 0) return protection;
  const extra = protection?.trustedOrigins;
  // Anything but a list is left for createCrossOriginProtection to refuse with its own message.
  const trustedOrigins = extra === undefined ? listed : Array.isArray(extra) ? [...listed, ...extra] : extra;
  return { ...protection, trustedOrigins };
}

const presetOptions = ["origin", "cors", "secureHeaders", "crossOriginProtection", "bodyLimit", "requestId"];

function build(
  where: string,
  options: HtmlSecurityOptions,
  secureHeaderDefaults: SecureHeadersOptions,
  contentTypes: readonly string[] | undefined,
): SecurityPreset {
  refuseUnknownKeys(where, options, presetOptions);
  const { origin, crossOriginProtection, bodyLimit, requestId } = options;
  const secureHeaders = options.secureHeaders;
  const csp = secureHeaders?.contentSecurityPolicy;
  return {
    secureHeaders: createSecureHeaders({
      ...secureHeaderDefaults,
      ...secureHeaders,
      contentSecurityPolicy:
        csp === false ? false : { ...(secureHeaderDefaults.contentSecurityPolicy as CspOptions), ...csp },
    }),
    cors: origin === undefined ? undefined : createCors({ ...options.cors, origin }),
    crossOriginProtection:
      crossOriginProtection === false
        ? undefined
        : createCrossOriginProtection(trustCorsOrigins(crossOriginProtection, origin)),
    bodyLimit:
      bodyLimit === false
        ? undefined
        : createBodyLimit(contentTypes === undefined ? bodyLimit : { contentTypes, ...bodyLimit }),
    requestId: requestId === false ? undefined : createRequestId(requestId),
  };
}

/**
 * Builds, once at set-up, the checks of a JSON API with safe defaults: secure headers with the `"api"` CSP,
 * strict CORS for the listed origins (required: there are no default origins), cross-origin (CSRF)
 * protection (which trusts the listed origins, so the browser app can write), a 1 MiB `application/json`
 * body limit and request ids. Each part takes its own options or
 * `false`; bad options throw the part's `TypeError`. The Hono `jsonApiSecurity()` runs them in order.
 *
 * @example
 * ```ts
 * import { createJsonApiSecurity } from "@keel/http-security";
 *
 * const security = createJsonApiSecurity({ origin: ["https://app.example.com"], cors: { credentials: true } });
 * const post = new Request("https://api.example.com/orders", {
 *   method: "POST",
 *   headers: { "sec-fetch-site": "cross-site", "content-type": "application/json" },
 *   body: "{}",
 * });
 * console.assert(security.crossOriginProtection?.check(post).isErr());
 * console.assert(new Map(security.secureHeaders.entries()).get("Content-Security-Policy") === "default-src 'none'; frame-ancestors 'none'");
 * const form = new Request("https://api.example.com/orders", { method: "POST", headers: { "content-type": "text/plain" }, body: "x" });
 * console.assert((await security.bodyLimit?.check(form))?.isErr());
 * ```
 */
export function createJsonApiSecurity(options: JsonApiSecurityOptions): SecurityPreset {
  if (typeof options === "object" && options !== null && options.origin === undefined) {
    throw new TypeError("createJsonApiSecurity: origin is required (the origins allowed to call the API)");
  }
  return build("createJsonApiSecurity", options, { contentSecurityPolicy: { preset: "api" } }, [
    "application/json",
  ]);
}

/**
 * Builds, once at set-up, the checks of an HTML site with safe defaults: secure headers with the `"html"`
 * CSP and a per-request nonce for `script-src` and `style-src`, cross-origin (CSRF) protection, a 1 MiB body
 * limit and request ids; CORS only when `origin` is given.
 *
 * `Referrer-Policy` is `same-origin` here, not `no-referrer` as in the JSON-API preset: under `no-referrer`
 * a browser sends `Origin: null` with the site's own form posts, and a browser without Fetch Metadata
 * (Safari before 16.4, Firefox before 90, any browser over plain HTTP on a host other than localhost) then
 * has its same-origin forms refused by the cross-origin check, which can only compare `Origin` with the host.
 * `same-origin` sends no referrer to any other origin either. Setting `secureHeaders.referrerPolicy` to
 * `no-referrer` brings that breakage back for those browsers (it fails closed: refused, never let through).
 *
 * @example
 * ```ts
 * import { generateCspNonce, createHtmlSecurity } from "@keel/http-security";
 *
 * const security = createHtmlSecurity();
 * const nonce = generateCspNonce();
 * const csp = new Map(security.secureHeaders.entries(nonce)).get("Content-Security-Policy");
 * console.assert(csp?.includes(`'nonce-${nonce}'`));
 * console.assert(security.cors === undefined && security.requestId !== undefined);
 * ```
 */
export function createHtmlSecurity(options: HtmlSecurityOptions = {}): SecurityPreset {
  return build(
    "createHtmlSecurity",
    options,
    { contentSecurityPolicy: { preset: "html", nonce: true }, referrerPolicy: "same-origin" },
    undefined,
  );
}
