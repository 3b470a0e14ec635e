/**
 * Where a request names its tenant: a header, a subdomain of a configured base domain, a path prefix, or a
 * claim of a token your auth code has already verified. A source only reads: it gives `undefined` when the
 * request does not use it, and otherwise the raw text, even an unusable one (then `""`), which the resolver
 * refuses as `TenantInvalid` rather than skipping it.
 *
 * @module
 */
import { normaliseHostname, parseUrl, subdomainOf } from "./_internal/hostname.ts";

/** Verified token claims, handed in by your auth middleware (tenant-context does no JWT work itself). */
export type Claims = Readonly<Record<string, unknown>>;

/** One place a request can name its tenant. */
export interface TenantSource {
  /** Names the source in errors, e.g. `"header x-tenant-id"`. Never the value. */
  readonly name: string;
  /** A request without this source is refused (`TenantUnauthenticated`, 401), whatever else it names. */
  readonly required?: boolean;
  /** The raw tenant id this request gives (`""` for an unusable one), or `undefined` when it gives none. */
  read(request: Request, claims: Claims | undefined): string | undefined;
}

const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The tenant id in a request header, e.g. `x-tenant-id`. Only for services behind a gateway that sets it,
 * or combined with a verified claim (two sources that disagree refuse the request).
 *
 * @example
 * ```ts
 * import { headerSource } from "@keel/tenant-context";
 * const source = headerSource("x-tenant-id");
 * const request = new Request("https://api.example.com/", { headers: { "x-tenant-id": "acme" } });
 * console.assert(source.read(request, undefined) === "acme");
 * ```
 */
export function headerSource(header: string): TenantSource {
  if (!token.test(header)) throw new TypeError(`headerSource: "${header}" is not a header name`);
  return {
    name: `header ${header.toLowerCase()}`,
    read: (request) => request.headers.get(header) ?? undefined,
  };
}

/**
 * The tenant as the one label in front of `baseDomain`: `acme.example.com` names `acme`. The host is read
 * from the request URL (lower-cased, IDN in punycode, port and userinfo gone) and a trailing dot is
 * ignored. `evil-example.com`, `a.b.example.com` and `a.example.com.evil.net` name no tenant.
 *
 * @example
 * ```ts
 * import { subdomainSource } from "@keel/tenant-context";
 * const source = subdomainSource({ baseDomain: "example.com" });
 * console.assert(source.read(new Request("https://ACME.example.com./x"), undefined) === "acme");
 * console.assert(source.read(new Request("https://acme.example.com.evil.net/"), undefined) === undefined);
 * ```
 */
export function subdomainSource(options: { readonly baseDomain: string }): TenantSource {
  const base = normaliseHostname(options.baseDomain);
  if (base === undefined || !base.includes(".")) {
    throw new TypeError(
      `subdomainSource: baseDomain "${options.baseDomain}" is not a domain like example.com`,
    );
  }
  return {
    name: `subdomain of ${base}`,
    read(request) {
      const url = parseUrl(request.url);
      return url === undefined ? undefined : subdomainOf(url.hostname, base);
    },
  };
}

/**
 * The first path segment after `prefix`: with `prefix: "/t/"`, `/t/acme/projects` names `acme`. The
 * segment is taken as written (no percent-decoding); your id schema decides whether it is valid.
 *
 * @example
 * ```ts
 * import { pathPrefixSource } from "@keel/tenant-context";
 * const source = pathPrefixSource({ prefix: "/t/" });
 * console.assert(source.read(new Request("https://api.example.com/t/acme/projects"), undefined) === "acme");
 * ```
 */
export function pathPrefixSource(options: { readonly prefix: string }): TenantSource {
  const { prefix } = options;
  if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
    throw new TypeError(`pathPrefixSource: prefix "${prefix}" must start and end with "/"`);
  }
  return {
    name: `path ${prefix}`,
    read(request) {
      const url = parseUrl(request.url);
      if (url === undefined || !url.pathname.startsWith(prefix)) return undefined;
      const end = url.pathname.indexOf("/", prefix.length);
      return url.pathname.slice(prefix.length, end === -1 ? undefined : end);
    },
  };
}

/**
 * A claim of a verified token, e.g. `tid`: pass the claims your auth middleware verified to the resolver.
 * Only an own string property counts as a tenant id; a claim that is there but is not a usable string is
 * refused (`TenantInvalid`), never skipped. With `required: true`, a request without the claim (or
 * without claims at all) is refused as `TenantUnauthenticated` (401), so a header alone cannot pick a
 * tenant.
 *
 * @example
 * ```ts
 * import { claimSource } from "@keel/tenant-context";
 * const source = claimSource("tid", { required: true });
 * console.assert(source.read(new Request("https://api.example.com/"), { tid: "acme" }) === "acme");
 * console.assert(source.read(new Request("https://api.example.com/"), { tid: 42 }) === "");
 * ```
 */
export function claimSource(claim: string, options: { readonly required?: boolean } = {}): TenantSource {
  return {
    name: `claim ${claim}`,
    required: Object.hasOwn(options, "required") && options.required === true,
    read(_request, claims) {
      if (typeof claims !== "object" || claims === null || !Object.hasOwn(claims, claim)) return undefined;
      const value = claims[claim];
      return typeof value === "string" ? value : "";
    },
  };
}
