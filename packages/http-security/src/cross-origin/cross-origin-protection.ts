/**
 * Cross-origin request (CSRF) protection by Go 1.25's `net/http.CrossOriginProtection` algorithm: the
 * browser's `Sec-Fetch-Site`, else `Origin` against the request's host. No token, no cookie, and never a
 * decision by `Content-Type`.
 *
 * @module
 */
import { err, ok } from "@keel/result";
import type { Result } from "../_internal/external-types.ts";
import { isSerializedOrigin, originHost, parseUrl } from "../_internal/http-syntax.ts";
import { optionChecker, refuseUnknownKeys } from "../_internal/options.ts";
import { type CrossOriginError, CrossOriginRequest, CrossOriginRequestFromOldBrowser } from "./errors.ts";

/** Options for {@link createCrossOriginProtection}. */
export interface CrossOriginProtectionOptions {
  /**
   * Origins whose cross-origin requests are allowed (`"https://app.example.com"`: scheme, host and
   * optional port, nothing else), compared exactly with the request's `Origin`. None by default.
   */
  readonly trustedOrigins?: readonly string[];
  /**
   * Paths exempt from the check, for endpoints that authenticate otherwise (a signed webhook): an exact
   * path (`"/webhooks/stripe"`) or a subtree (`"/webhooks/*"`: every path below `/webhooks/`, not
   * `/webhooks` itself). Matched against the URL's normalised path (`..` and `%2e%2e` resolved), case
   * sensitive. None by default.
   */
  readonly bypassPaths?: readonly string[];
}

/** The check, built once by {@link createCrossOriginProtection}. */
export interface CrossOriginProtection {
  /** `ok` for a request that may proceed; `err` for a cross-origin state-changing browser request. */
  check(request: Request): Result<void, CrossOriginError>;
}

/** The keys of {@link CrossOriginProtectionOptions}, for the set-up check of unknown options. */
export const crossOriginProtectionOptionKeys = ["trustedOrigins", "bypassPaths"] as const;

const safeMethods: ReadonlySet<string> = /* @__PURE__ */ new Set(["GET", "HEAD", "OPTIONS"]);

const fail = optionChecker("createCrossOriginProtection");

function compileTrusted(value: unknown): ReadonlySet<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value)) return fail("trustedOrigins", "must be a list of origins");
  return new Set(
    value.map((origin: unknown, index: number) => {
      if (typeof origin !== "string" || !isSerializedOrigin(origin)) {
        return fail(
          `trustedOrigins[${index}]`,
          "must be an origin: scheme://host[:port], lower case, no path, no trailing slash",
        );
      }
      return origin;
    }),
  );
}

function compileBypass(value: unknown): (path: string) => boolean {
  if (value === undefined) return () => false;
  if (!Array.isArray(value)) return fail("bypassPaths", "must be a list of paths");
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const [index, path] of value.entries()) {
    const shape = typeof path === "string" ? path.replace(/\/\*$/, "/") : "";
    const normalised = parseUrl(`http://h${shape}`)?.pathname;
    if (typeof path !== "string" || !shape.startsWith("/") || /[*?#\s]/.test(shape) || normalised !== shape) {
      fail(
        `bypassPaths[${index}]`,
        "must be a normalised path (/webhooks/stripe) or a subtree (/webhooks/*)",
      );
    }
    if ((path as string).endsWith("/*")) prefixes.push(shape);
    else exact.add(shape);
  }
  return (path) => exact.has(path) || prefixes.some((prefix) => path.startsWith(prefix));
}

/**
 * Builds, once at set-up, Go 1.25's cross-origin protection. For each request: `GET`, `HEAD` and
 * `OPTIONS` pass; `Sec-Fetch-Site: same-origin` or `none` passes, any other value fails; without
 * `Sec-Fetch-Site`, a request with no `Origin` passes (not a browser, or a same-origin request from an old
 * one, as in Go), and one whose `Origin` host equals the request's host passes; everything else fails,
 * unless its `Origin` is trusted or its path is bypassed. The host compared is the request URL's, which
 * runtimes build from the `Host` header. As in Go, the scheme is not compared on that fallback path: send
 * HSTS (secure headers do) so a browser never speaks plain HTTP to the site.
 *
 * @example
 * ```ts
 * import { createCrossOriginProtection } from "@keel/http-security";
 *
 * const protection = createCrossOriginProtection({ trustedOrigins: ["https://admin.example.com"] });
 * const post = (headers: Record<string, string>) =>
 *   protection.check(new Request("https://api.example.com/orders", { method: "POST", headers }));
 *
 * console.assert(post({ "sec-fetch-site": "same-origin" }).isOk());
 * console.assert(post({ "sec-fetch-site": "cross-site", origin: "https://evil.example" }).isErr());
 * console.assert(post({ "sec-fetch-site": "same-site", origin: "https://admin.example.com" }).isOk());
 * console.assert(post({ origin: "https://api.example.com" }).isOk()); // an old browser, same host
 * console.assert(post({}).isOk()); // curl, a server: no browser, no ambient credentials to abuse
 * const refused = post({ "sec-fetch-site": "cross-site", "content-type": "application/json" });
 * console.assert(refused.isErr() && refused.error._tag === "CrossOriginRequest");
 * ```
 */
export function createCrossOriginProtection(
  options: CrossOriginProtectionOptions = {},
): CrossOriginProtection {
  if (typeof options !== "object" || options === null) fail("options", "must be an object");
  refuseUnknownKeys("createCrossOriginProtection", options, crossOriginProtectionOptionKeys);
  const trusted = compileTrusted(options.trustedOrigins);
  const bypassed = compileBypass(options.bypassPaths);

  const isExempt = (request: Request, url: URL): boolean => {
    if (bypassed(url.pathname)) return true;
    const origin = request.headers.get("origin");
    return origin !== null && trusted.has(origin);
  };

  return {
    check(request) {
      if (safeMethods.has(request.method)) return ok(undefined);
      const site = request.headers.get("sec-fetch-site");
      // An empty header counts as absent, as Go's Header.Get reads it.
      if (site !== null && site !== "") {
        // The common answer needs no URL: parse one only when the request may be exempt.
        if (site === "same-origin" || site === "none") return ok(undefined);
        return isExempt(request, new URL(request.url)) ? ok(undefined) : err(new CrossOriginRequest());
      }
      const origin = request.headers.get("origin");
      if (origin === null || origin === "") return ok(undefined);
      const url = new URL(request.url);
      if (originHost(origin) === url.host) return ok(undefined);
      return isExempt(request, url) ? ok(undefined) : err(new CrossOriginRequestFromOldBrowser());
    },
  };
}
