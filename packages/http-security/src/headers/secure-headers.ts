/**
 * Security response headers on Web `Headers` and `Response`: Helmet 8's defaults, a Permissions-Policy,
 * CSP presets for JSON APIs and HTML, per-request CSP nonces and report-only policies. Every value is
 * checked and serialised once, by {@link createSecureHeaders}; a request only copies strings.
 *
 * @module
 */

import { isSerializedOrigin } from "../_internal/http-syntax.ts";
import { optionChecker, refuseUnknownKeys } from "../_internal/options.ts";
import { checkDirective, type DirectiveValue, isEndpointName, knownDirectives } from "./csp.ts";
import { knownPermissionsPolicyFeatures } from "./permissions-policy-features.ts";

/** A CSP directive name this package knows (CSP Level 3, kebab case as in the header). */
export type CspDirectiveName =
  | "default-src"
  | "script-src"
  | "script-src-elem"
  | "script-src-attr"
  | "style-src"
  | "style-src-elem"
  | "style-src-attr"
  | "img-src"
  | "font-src"
  | "connect-src"
  | "media-src"
  | "object-src"
  | "frame-src"
  | "child-src"
  | "worker-src"
  | "manifest-src"
  | "fenced-frame-src"
  | "base-uri"
  | "form-action"
  | "frame-ancestors"
  | "upgrade-insecure-requests"
  | "block-all-mixed-content"
  | "sandbox"
  | "report-uri"
  | "report-to"
  | "require-trusted-types-for"
  | "trusted-types"
  | "webrtc";

/**
 * CSP directives: a list of sources (`["'self'", "https://cdn.example.com"]`), `true` for a directive with
 * no value (`upgrade-insecure-requests`), or `false` to drop a directive of the preset.
 */
export type CspDirectives = { readonly [Name in CspDirectiveName]?: readonly string[] | boolean };

/** The starting directives: Helmet 8's default policy, a JSON API's, or a strict HTML page's. */
export type CspPreset = "helmet" | "api" | "html";

/** Options for the Content-Security-Policy header. */
export interface CspOptions {
  /** The directives to start from; defaults to `"helmet"` (Helmet 8's default policy). */
  readonly preset?: CspPreset;
  /** Directives added to the preset or replacing its own (`false` removes one). */
  readonly directives?: CspDirectives;
  /**
   * Adds a fresh `'nonce-…'` to these directives on every response (`true`: `script-src` and `style-src`,
   * those of them the policy has). Browsers then ignore `'unsafe-inline'` in those directives.
   */
  readonly nonce?: boolean | readonly ("script-src" | "script-src-elem" | "style-src" | "style-src-elem")[];
  /**
   * Sends `Content-Security-Policy-Report-Only` instead: violations are reported, nothing is blocked. Needs a
   * `report-to` (or `report-uri`) directive.
   */
  readonly reportOnly?: boolean;
}

/** Permissions-Policy: per feature, the origins allowed to use it (`[]`: none; `"self"`, `"*"`, origins). */
export type PermissionsPolicy = { readonly [feature: string]: readonly string[] };

/** Options for {@link createSecureHeaders}. Every header is on with a safe default; `false` leaves it out. */
export interface SecureHeadersOptions {
  /** Content-Security-Policy; defaults to Helmet 8's policy. */
  readonly contentSecurityPolicy?: CspOptions | false;
  /** `Reporting-Endpoints`: endpoint name to an `https:` URL, for CSP `report-to`. None by default. */
  readonly reportingEndpoints?: { readonly [name: string]: string };
  /** Cross-Origin-Embedder-Policy; off by default (as in Helmet 8): it breaks cross-origin embeds. */
  readonly crossOriginEmbedderPolicy?: "require-corp" | "credentialless" | "unsafe-none" | false;
  /** Cross-Origin-Opener-Policy; defaults to `same-origin`. */
  readonly crossOriginOpenerPolicy?:
    | "same-origin"
    | "same-origin-allow-popups"
    | "noopener-allow-popups"
    | "unsafe-none"
    | false;
  /** Cross-Origin-Resource-Policy; defaults to `same-origin`. */
  readonly crossOriginResourcePolicy?: "same-origin" | "same-site" | "cross-origin" | false;
  /** `Origin-Agent-Cluster: ?1`; on by default. */
  readonly originAgentCluster?: boolean;
  /** Referrer-Policy (one policy or a fallback list); defaults to `no-referrer`. */
  readonly referrerPolicy?: ReferrerPolicyValue | readonly ReferrerPolicyValue[] | false;
  /** Strict-Transport-Security; defaults to one year with `includeSubDomains`. */
  readonly strictTransportSecurity?:
    | { readonly maxAge: number; readonly includeSubDomains?: boolean; readonly preload?: boolean }
    | false;
  /** `X-Content-Type-Options: nosniff`; on by default. */
  readonly xContentTypeOptions?: boolean;
  /** `X-DNS-Prefetch-Control`; defaults to `off`. */
  readonly xDnsPrefetchControl?: "off" | "on" | false;
  /** `X-Download-Options: noopen`; on by default. */
  readonly xDownloadOptions?: boolean;
  /** X-Frame-Options; defaults to `SAMEORIGIN` (as Helmet 8). */
  readonly xFrameOptions?: "SAMEORIGIN" | "DENY" | false;
  /** X-Permitted-Cross-Domain-Policies; defaults to `none`. */
  readonly xPermittedCrossDomainPolicies?: "none" | "master-only" | "by-content-type" | "all" | false;
  /** `X-XSS-Protection: 0` (turns off the old, exploitable XSS auditor); on by default. */
  readonly xXssProtection?: boolean;
  /**
   * Permissions-Policy; defaults to {@link defaultPermissionsPolicy}. A given policy replaces it whole. A
   * feature name browsers do not know (a typo such as `camra`) is refused at set-up: a browser would
   * silently ignore it.
   */
  readonly permissionsPolicy?: PermissionsPolicy | false;
  /**
   * Permissions-Policy feature names to accept although this package does not know them yet (a feature
   * newer than this release): `["new-feature"]`. Each must still be a feature name (lower case, digits and
   * '-'). None by default.
   */
  readonly extraPermissionsPolicyFeatures?: readonly string[];
}

const secureHeadersOptionKeys = [
  "contentSecurityPolicy",
  "reportingEndpoints",
  "crossOriginEmbedderPolicy",
  "crossOriginOpenerPolicy",
  "crossOriginResourcePolicy",
  "originAgentCluster",
  "referrerPolicy",
  "strictTransportSecurity",
  "xContentTypeOptions",
  "xDnsPrefetchControl",
  "xDownloadOptions",
  "xFrameOptions",
  "xPermittedCrossDomainPolicies",
  "xXssProtection",
  "permissionsPolicy",
  "extraPermissionsPolicyFeatures",
] as const;

/** A Referrer-Policy token. */
export type ReferrerPolicyValue =
  | "no-referrer"
  | "no-referrer-when-downgrade"
  | "origin"
  | "origin-when-cross-origin"
  | "same-origin"
  | "strict-origin"
  | "strict-origin-when-cross-origin"
  | "unsafe-url";

/** The headers, built once: apply them to a response's `Headers`, with a nonce when the CSP has one. */
export interface SecureHeaders {
  /** Whether the CSP carries a per-request nonce (then {@link SecureHeaders.apply} needs one). */
  readonly usesNonce: boolean;
  /** The header names and values, in order; `nonce` is put in the CSP when it uses one. */
  entries(nonce?: string): [name: string, value: string][];
  /** Sets every header on `headers` (replacing what was there) and removes `X-Powered-By`. */
  apply(headers: Headers, nonce?: string): void;
  /** A copy of `response` (body untouched) with the headers applied: works on immutable responses too. */
  applyTo(response: Response, nonce?: string): Response;
  /**
   * New headers from these options merged over the ones this was built with (CSP directives are merged
   * one by one): the per-route variant, checked and serialised now, at set-up.
   */
  with(overrides: SecureHeadersOptions): SecureHeaders;
}

/** Helmet 8's default Content-Security-Policy directives, in Helmet's order. */
const helmetDirectives: Readonly<Record<string, DirectiveValue>> = {
  "default-src": ["'self'"],
  "base-uri": ["'self'"],
  "font-src": ["'self'", "https:", "data:"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'self'"],
  "img-src": ["'self'", "data:"],
  "object-src": ["'none'"],
  "script-src": ["'self'"],
  "script-src-attr": ["'none'"],
  "style-src": ["'self'", "https:", "'unsafe-inline'"],
  "upgrade-insecure-requests": true,
};

const presets: Readonly<Record<CspPreset, Readonly<Record<string, DirectiveValue>>>> = {
  helmet: helmetDirectives,
  // A JSON API loads nothing and is framed by no one.
  api: { "default-src": ["'none'"], "frame-ancestors": ["'none'"] },
  // An HTML page of the same origin's scripts, styles and images, no plugins, no framing.
  html: {
    "default-src": ["'self'"],
    "base-uri": ["'none'"],
    "font-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "script-src": ["'self'"],
    "script-src-attr": ["'none'"],
    "style-src": ["'self'"],
    "upgrade-insecure-requests": true,
  },
};

/**
 * The Permissions-Policy sent by default: powerful features no API and few pages need, turned off for
 * the page and everything it embeds. Spread it to add to it.
 *
 * @example
 * ```ts
 * import { createSecureHeaders, defaultPermissionsPolicy } from "@keel/http-security";
 * const headers = createSecureHeaders({ permissionsPolicy: { ...defaultPermissionsPolicy, fullscreen: ["self"] } });
 * const value = new Map(headers.entries()).get("Permissions-Policy") ?? "";
 * console.assert(value.includes("camera=()") && value.includes("fullscreen=(self)"));
 * ```
 */
export const defaultPermissionsPolicy: PermissionsPolicy = {
  accelerometer: [],
  camera: [],
  "display-capture": [],
  geolocation: [],
  gyroscope: [],
  magnetometer: [],
  microphone: [],
  midi: [],
  payment: [],
  usb: [],
};

const referrerPolicies: ReadonlySet<string> = /* @__PURE__ */ new Set([
  "no-referrer",
  "no-referrer-when-downgrade",
  "origin",
  "origin-when-cross-origin",
  "same-origin",
  "strict-origin",
  "strict-origin-when-cross-origin",
  "unsafe-url",
]);

// A control character can never be in a checked directive, so it cannot collide with a real value.
const NONCE_SLOT = "\u0000nonce\u0000";
const nonceShape = /^[A-Za-z0-9+/_-]{16,256}={0,2}$/;

const WHERE = "createSecureHeaders";
const fail = optionChecker(WHERE);
const featureName = /^[a-z][a-z0-9-]{0,63}$/;

function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === false) return undefined;
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    return fail(option, `must be one of ${allowed.join(", ")} or false`);
  }
  return value as T;
}

function flag(option: string, value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== "boolean") fail(option, "must be true or false");
  return value as boolean;
}

const nonceTargets = ["script-src", "script-src-elem", "style-src", "style-src-elem"] as const;

function compileCsp(options: CspOptions, endpoints: ReadonlySet<string>): [string, string] {
  if (typeof options !== "object" || options === null)
    fail("contentSecurityPolicy", "must be an object or false");
  refuseUnknownKeys(WHERE, options, ["preset", "directives", "nonce", "reportOnly"], "contentSecurityPolicy");
  const preset = options.preset ?? "helmet";
  const base = presets[preset];
  if (base === undefined) return fail("contentSecurityPolicy.preset", "must be helmet, api or html");
  const directives = new Map<string, unknown>(Object.entries(base));
  for (const [index, [name, value]] of Object.entries(options.directives ?? {}).entries()) {
    if (!knownDirectives.has(name)) {
      fail(
        "contentSecurityPolicy.directives",
        `has an unknown directive name (entry ${index + 1}); use CSP names in kebab case, e.g. script-src`,
      );
    }
    if (value === false) directives.delete(name);
    else if (value !== undefined) directives.set(name, value);
  }
  if (directives.size === 0) fail("contentSecurityPolicy", "has no directives");
  const serialised = new Map<string, string>();
  for (const [name, value] of directives) {
    serialised.set(
      name,
      checkDirective("createSecureHeaders: contentSecurityPolicy.directives", name, value),
    );
  }
  const nonce: unknown = options.nonce ?? false;
  if (typeof nonce !== "boolean" && !Array.isArray(nonce))
    fail("contentSecurityPolicy.nonce", "must be a boolean or a list");
  const targets: readonly unknown[] =
    nonce === true ? ["script-src", "style-src"] : nonce === false ? [] : (nonce as unknown[]);
  let placed = 0;
  for (const target of targets) {
    if (typeof target !== "string" || !(nonceTargets as readonly string[]).includes(target)) {
      return fail(
        "contentSecurityPolicy.nonce",
        "may only name script-src, script-src-elem, style-src, style-src-elem",
      );
    }
    const current = serialised.get(target);
    if (current === undefined) continue;
    if (current === "'none'")
      fail(`contentSecurityPolicy.directives["${target}"]`, "is 'none', so a nonce cannot be added");
    serialised.set(target, `${current} 'nonce-${NONCE_SLOT}'`);
    placed++;
  }
  if (targets.length > 0 && placed === 0) {
    fail("contentSecurityPolicy.nonce", "names no directive the policy has (add script-src or style-src)");
  }
  const reportTo = directives.get("report-to") as readonly string[] | undefined;
  if (reportTo !== undefined && !endpoints.has(reportTo[0] ?? "")) {
    fail(
      'contentSecurityPolicy.directives["report-to"]',
      "names an endpoint that reportingEndpoints does not define",
    );
  }
  const reportOnly = flag("contentSecurityPolicy.reportOnly", options.reportOnly ?? false);
  if (reportOnly && !directives.has("report-to") && !directives.has("report-uri")) {
    fail(
      "contentSecurityPolicy.reportOnly",
      "needs a report-to or report-uri directive: otherwise nothing is reported",
    );
  }
  if (reportOnly && directives.has("sandbox"))
    fail("contentSecurityPolicy", "cannot send sandbox in report-only mode");
  const value = [...serialised].map(([name, text]) => (text === "" ? name : `${name} ${text}`)).join("; ");
  return [reportOnly ? "Content-Security-Policy-Report-Only" : "Content-Security-Policy", value];
}

function compileReportingEndpoints(endpoints: unknown): [string, string] | undefined {
  if (endpoints === undefined) return undefined;
  if (typeof endpoints !== "object" || endpoints === null)
    return fail("reportingEndpoints", "must be an object");
  const members: string[] = [];
  for (const [index, [name, url]] of Object.entries(endpoints).entries()) {
    if (!isEndpointName(name))
      fail("reportingEndpoints", `entry ${index + 1} has a bad name (letters, digits, '-', '_')`);
    if (typeof url !== "string" || !/^https:\/\/[\x21-\x7e]+$/.test(url) || /["\\]/.test(url)) {
      fail(`reportingEndpoints["${name}"]`, "must be an https: URL");
    }
    members.push(`${name}="${url}"`);
  }
  return members.length === 0 ? undefined : ["Reporting-Endpoints", members.join(", ")];
}

function compileExtraFeatures(value: unknown): ReadonlySet<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value)) return fail("extraPermissionsPolicyFeatures", "must be a list of feature names");
  value.forEach((feature: unknown, index) => {
    if (typeof feature !== "string" || !featureName.test(feature)) {
      fail(`extraPermissionsPolicyFeatures[${index}]`, "is not a feature name (lower case, digits and '-')");
    }
  });
  return new Set(value as string[]);
}

function compilePermissionsPolicy(policy: unknown, extra: ReadonlySet<string>): string | undefined {
  if (policy === false) return undefined;
  if (typeof policy !== "object" || policy === null || Array.isArray(policy))
    return fail("permissionsPolicy", "must be an object or false");
  const members: string[] = [];
  for (const [index, [feature, allow]] of Object.entries(policy).entries()) {
    if (!featureName.test(feature)) {
      fail("permissionsPolicy", `entry ${index + 1} is not a feature name (lower case, digits and '-')`);
    }
    if (!knownPermissionsPolicyFeatures.has(feature) && !extra.has(feature)) {
      fail(
        `permissionsPolicy["${feature}"]`,
        "is not a Permissions-Policy feature browsers know (a typo?); to send a newer one, list it in extraPermissionsPolicyFeatures",
      );
    }
    if (!Array.isArray(allow)) return fail(`permissionsPolicy["${feature}"]`, "must be a list ([] for none)");
    if (allow.length === 1 && allow[0] === "*") {
      members.push(`${feature}=*`);
      continue;
    }
    const items = allow.map((item: unknown, at: number) => {
      if (item === "self" || item === "src") return item;
      if (typeof item !== "string" || !isSerializedOrigin(item)) {
        return fail(
          `permissionsPolicy["${feature}"][${at}]`,
          'must be "self", "src", "*" alone, or an origin such as https://example.com',
        );
      }
      return `"${item}"`;
    });
    members.push(`${feature}=(${items.join(" ")})`);
  }
  return members.length === 0 ? undefined : members.join(", ");
}

function compileHsts(value: SecureHeadersOptions["strictTransportSecurity"]): string | undefined {
  if (value === false) return undefined;
  const hsts = value ?? { maxAge: 31_536_000 };
  if (typeof hsts !== "object" || hsts === null)
    return fail("strictTransportSecurity", "must be an object or false");
  refuseUnknownKeys(WHERE, hsts, ["maxAge", "includeSubDomains", "preload"], "strictTransportSecurity");
  const { maxAge } = hsts;
  if (typeof maxAge !== "number" || !Number.isSafeInteger(maxAge) || maxAge < 0) {
    fail("strictTransportSecurity.maxAge", "must be a whole number of seconds, 0 or more");
  }
  const includeSubDomains = flag("strictTransportSecurity.includeSubDomains", hsts.includeSubDomains);
  const preload = flag("strictTransportSecurity.preload", hsts.preload ?? false);
  if (preload && (!includeSubDomains || maxAge < 31_536_000)) {
    fail(
      "strictTransportSecurity.preload",
      "needs includeSubDomains and a maxAge of at least 31536000 (one year)",
    );
  }
  return `max-age=${maxAge}${includeSubDomains ? "; includeSubDomains" : ""}${preload ? "; preload" : ""}`;
}

function compileReferrerPolicy(value: SecureHeadersOptions["referrerPolicy"]): string | undefined {
  if (value === false) return undefined;
  const list: readonly unknown[] =
    value === undefined ? ["no-referrer"] : Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((item) => typeof item !== "string" || !referrerPolicies.has(item))) {
    fail(
      "referrerPolicy",
      "must be Referrer-Policy tokens (no-referrer, strict-origin-when-cross-origin...) or false",
    );
  }
  return list.join(", ");
}

function compile(options: SecureHeadersOptions): [string, string][] {
  if (typeof options !== "object" || options === null) fail("options", "must be an object");
  refuseUnknownKeys(WHERE, options, secureHeadersOptionKeys);
  const headers: [string, string | undefined][] = [];
  const reporting = compileReportingEndpoints(options.reportingEndpoints);
  const endpoints = new Set(Object.keys(options.reportingEndpoints ?? {}));
  const csp = options.contentSecurityPolicy ?? {};
  if (csp !== false) headers.push(compileCsp(csp, endpoints));
  if (reporting !== undefined) headers.push(reporting);
  headers.push(
    [
      "Cross-Origin-Embedder-Policy",
      oneOf("crossOriginEmbedderPolicy", options.crossOriginEmbedderPolicy ?? false, [
        "require-corp",
        "credentialless",
        "unsafe-none",
      ]),
    ],
    [
      "Cross-Origin-Opener-Policy",
      oneOf("crossOriginOpenerPolicy", options.crossOriginOpenerPolicy ?? "same-origin", [
        "same-origin",
        "same-origin-allow-popups",
        "noopener-allow-popups",
        "unsafe-none",
      ]),
    ],
    [
      "Cross-Origin-Resource-Policy",
      oneOf("crossOriginResourcePolicy", options.crossOriginResourcePolicy ?? "same-origin", [
        "same-origin",
        "same-site",
        "cross-origin",
      ]),
    ],
    ["Origin-Agent-Cluster", flag("originAgentCluster", options.originAgentCluster) ? "?1" : undefined],
    ["Referrer-Policy", compileReferrerPolicy(options.referrerPolicy)],
    ["Strict-Transport-Security", compileHsts(options.strictTransportSecurity)],
    [
      "X-Content-Type-Options",
      flag("xContentTypeOptions", options.xContentTypeOptions) ? "nosniff" : undefined,
    ],
    [
      "X-DNS-Prefetch-Control",
      oneOf("xDnsPrefetchControl", options.xDnsPrefetchControl ?? "off", ["off", "on"]),
    ],
    ["X-Download-Options", flag("xDownloadOptions", options.xDownloadOptions) ? "noopen" : undefined],
    [
      "X-Frame-Options",
      oneOf("xFrameOptions", options.xFrameOptions ?? "SAMEORIGIN", ["SAMEORIGIN", "DENY"]),
    ],
    [
      "X-Permitted-Cross-Domain-Policies",
      oneOf("xPermittedCrossDomainPolicies", options.xPermittedCrossDomainPolicies ?? "none", [
        "none",
        "master-only",
        "by-content-type",
        "all",
      ]),
    ],
    ["X-XSS-Protection", flag("xXssProtection", options.xXssProtection) ? "0" : undefined],
    [
      "Permissions-Policy",
      compilePermissionsPolicy(
        options.permissionsPolicy ?? defaultPermissionsPolicy,
        compileExtraFeatures(options.extraPermissionsPolicyFeatures),
      ),
    ],
  );
  return headers.filter((entry): entry is [string, string] => entry[1] !== undefined);
}

function merge(base: SecureHeadersOptions, overrides: SecureHeadersOptions): SecureHeadersOptions {
  const merged: SecureHeadersOptions = { ...base, ...overrides };
  const baseCsp = base.contentSecurityPolicy;
  const overCsp = overrides.contentSecurityPolicy;
  if (baseCsp === undefined || baseCsp === false || overCsp === undefined || overCsp === false) return merged;
  const directives = { ...baseCsp.directives, ...overCsp.directives };
  return { ...merged, contentSecurityPolicy: { ...baseCsp, ...overCsp, directives } };
}

/**
 * A fresh CSP nonce: 16 random bytes (128 bits) from `crypto.getRandomValues`, in base64.
 *
 * @example
 * ```ts
 * import { generateCspNonce } from "@keel/http-security";
 * const nonce = generateCspNonce();
 * console.assert(nonce.length === 24 && nonce !== generateCspNonce());
 * ```
 */
export function generateCspNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Builds, once at set-up, the security headers of every response: Helmet 8's default set (CSP,
 * Cross-Origin-Opener/Resource-Policy, Origin-Agent-Cluster, Referrer-Policy, HSTS, X-Content-Type-Options,
 * X-DNS-Prefetch-Control, X-Download-Options, X-Frame-Options, X-Permitted-Cross-Domain-Policies,
 * X-XSS-Protection, no X-Powered-By) plus a Permissions-Policy. CSP directives are checked here: a `;`, a
 * `,`, a line break, an unknown directive or a malformed source throws a `TypeError` now, never per request;
 * so do an unknown option name and a Permissions-Policy feature browsers do not know (name a newer one in
 * `extraPermissionsPolicyFeatures`).
 *
 * @example
 * ```ts
 * import { generateCspNonce, createSecureHeaders } from "@keel/http-security";
 *
 * const api = createSecureHeaders({ contentSecurityPolicy: { preset: "api" } });
 * const response = api.applyTo(Response.json({ ok: true }, { headers: { "x-powered-by": "Express" } }));
 * console.assert(response.headers.get("content-security-policy") === "default-src 'none'; frame-ancestors 'none'");
 * console.assert(response.headers.get("x-content-type-options") === "nosniff");
 * console.assert(!response.headers.has("x-powered-by"));
 *
 * const page = createSecureHeaders({ contentSecurityPolicy: { preset: "html", nonce: true } });
 * const nonce = generateCspNonce();
 * const headers = new Headers();
 * page.apply(headers, nonce);
 * console.assert(headers.get("content-security-policy")?.includes(`script-src 'self' 'nonce-${nonce}'`));
 *
 * let refused = false;
 * try {
 *   createSecureHeaders({ contentSecurityPolicy: { directives: { "script-src": ["'self'; script-src *"] } } });
 * } catch (error) {
 *   refused = error instanceof TypeError;
 * }
 * console.assert(refused);
 * ```
 */
export function createSecureHeaders(options: SecureHeadersOptions = {}): SecureHeaders {
  const compiled = compile(options);
  // Each value split at its nonce slots once, here: per request only the CSP, the value with slots, is joined.
  const pieces = compiled.map(([name, value]) => [name, value.split(NONCE_SLOT)] as const);
  const usesNonce = pieces.some(([, parts]) => parts.length > 1);
  const withNonce = (nonce: string | undefined): readonly (readonly [string, string])[] => {
    if (!usesNonce) return compiled;
    if (nonce === undefined || !nonceShape.test(nonce)) {
      throw new TypeError(
        "SecureHeaders: this CSP needs a nonce of 16 to 256 base64 characters (generateCspNonce())",
      );
    }
    return pieces.map(([name, parts]) => [
      name,
      parts.length === 1 ? (parts[0] as string) : parts.join(nonce),
    ]);
  };
  const apply = (headers: Headers, nonce?: string): void => {
    for (const [name, value] of withNonce(nonce)) headers.set(name, value);
    headers.delete("X-Powered-By");
  };
  return {
    usesNonce,
    entries: (nonce) => withNonce(nonce).map(([name, value]) => [name, value]),
    apply,
    applyTo(response, nonce) {
      const copy = new Response(response.body, response);
      apply(copy.headers, nonce);
      return copy;
    },
    with: (overrides) => createSecureHeaders(merge(options, overrides)),
  };
}
