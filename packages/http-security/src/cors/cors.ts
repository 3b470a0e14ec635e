/**
 * CORS on Web `Request` and `Headers`, strict: an exact origin allow-list, no reflection of an unlisted
 * origin, no `*` with credentials, and a preflight that checks method and headers against allow-lists.
 *
 * @module
 */
import { err, ok } from "@keel/result";
import type { Result } from "../_internal/external-types.ts";
import { appendVary, isSerializedOrigin, isToken, parseLowerCaseList } from "../_internal/http-syntax.ts";
import { optionChecker, refuseUnknownKeys } from "../_internal/options.ts";
import {
  type CorsError,
  CorsHeaderNotAllowed,
  CorsMethodNotAllowed,
  CorsOriginNotAllowed,
} from "./errors.ts";

/** Options for {@link createCors}. */
export interface CorsOptions {
  /**
   * The origins allowed to read responses: exact serialized origins (`"https://app.example.com"`, lower
   * case, punycode, no path, no trailing slash, no default port), `"null"` to allow the opaque origin, or
   * `"*"` alone (any origin, never with credentials). Or a predicate, called only with a well-formed
   * serialized origin (never with `"null"` or a list of origins).
   */
  readonly origin: readonly string[] | ((origin: string) => boolean);
  /** Send `Access-Control-Allow-Credentials: true` (cookies, HTTP auth). Refused with `"*"`. Off by default. */
  readonly credentials?: boolean;
  /** Methods a preflight may ask for; defaults to `GET`, `HEAD`, `POST`. Case-sensitive, as in Fetch. */
  readonly allowMethods?: readonly string[];
  /** Request headers a preflight may ask for (e.g. `content-type`, `authorization`); none by default. */
  readonly allowHeaders?: readonly string[];
  /** Response headers the browser may show to the page (`Access-Control-Expose-Headers`); none by default. */
  readonly exposeHeaders?: readonly string[];
  /** `Access-Control-Max-Age` in seconds (0 to 86400); defaults to 600. */
  readonly maxAge?: number;
  /**
   * Private Network Access: answer `Access-Control-Allow-Private-Network: true` to a preflight that asks
   * for it (a public page calling this server on a private network). Off by default.
   */
  readonly allowPrivateNetwork?: boolean;
}

/** A CORS policy, built once by {@link createCors}. */
export interface Cors {
  /** Whether `request` is a CORS preflight: `OPTIONS` with `Origin` and `Access-Control-Request-Method`. */
  isPreflight(request: Request): boolean;
  /**
   * Checks a preflight: the headers of its 204 answer, or the reason it is refused (then send no CORS
   * header at all).
   */
  preflight(request: Request): Result<Headers, CorsError>;
  /**
   * Adds the CORS headers of an actual (non-preflight) request to its response's headers: nothing but
   * `Vary: Origin` when the origin is not allowed. The request is not refused: CORS only decides what the
   * browser lets a page read (use cross-origin protection to refuse state-changing requests).
   */
  apply(request: Request, headers: Headers): void;
}

const MAX_REQUESTED_HEADERS = 64;

/** The keys of {@link CorsOptions}, for the set-up check of unknown options. */
export const corsOptionKeys = [
  "origin",
  "credentials",
  "allowMethods",
  "allowHeaders",
  "exposeHeaders",
  "maxAge",
  "allowPrivateNetwork",
] as const;

const fail = optionChecker("createCors");

function tokens(option: string, value: unknown, fallback: readonly string[], lowerCase: boolean): string[] {
  if (value === undefined) return [...fallback];
  if (!Array.isArray(value)) return fail(option, "must be a list of names");
  return value.map((item: unknown, index: number) => {
    if (typeof item !== "string" || !isToken(item) || item === "*") {
      return fail(`${option}[${index}]`, "must be a header or method name (no '*': list the names)");
    }
    return lowerCase ? item.toLowerCase() : item;
  });
}

function compileOrigin(origin: unknown, credentials: boolean): ((origin: string) => boolean) | "*" {
  if (typeof origin === "function") {
    const predicate = origin as (origin: string) => boolean;
    return (value) => isSerializedOrigin(value) && predicate(value) === true;
  }
  if (!Array.isArray(origin)) return fail("origin", "must be a list of origins or a predicate");
  if (origin.includes("*")) {
    if (origin.length !== 1) fail("origin", 'may hold "*" only alone');
    if (credentials) fail("origin", 'cannot be "*" with credentials: list the origins');
    return "*";
  }
  if (origin.length === 0) fail("origin", "is empty: list the origins allowed");
  const allowed = new Set<string>();
  for (const [index, entry] of origin.entries()) {
    if (entry !== "null" && (typeof entry !== "string" || !isSerializedOrigin(entry))) {
      fail(
        `origin[${index}]`,
        "is not a serialized origin: scheme://host[:port], lower case, punycode, no path, no trailing slash, no default port",
      );
    }
    allowed.add(entry as string);
  }
  return (value) => allowed.has(value);
}

/**
 * Builds, once at set-up, a CORS policy. The `Origin` of a request is compared exactly with the
 * allow-list (or passed to the predicate only when it is one well-formed origin); an unlisted origin is
 * never reflected, `"null"` is refused unless listed, and every response whose headers depend on the
 * origin gets `Vary: Origin`. A refused preflight is an `err` with no CORS header (the Hono adapter
 * answers it 403). Bad options throw a `TypeError` here.
 *
 * @example
 * ```ts
 * import { createCors } from "@keel/http-security";
 *
 * const cors = createCors({ origin: ["https://app.example.com"], credentials: true, allowHeaders: ["content-type"] });
 * const preflight = new Request("https://api.example.com/orders", {
 *   method: "OPTIONS",
 *   headers: {
 *     origin: "https://app.example.com",
 *     "access-control-request-method": "POST",
 *     "access-control-request-headers": "content-type",
 *   },
 * });
 * const answer = cors.preflight(preflight);
 * console.assert(answer.isOk() && answer.value.get("access-control-allow-origin") === "https://app.example.com");
 *
 * const evil = new Request("https://api.example.com/orders", { headers: { origin: "https://app.example.com.evil.com" } });
 * const headers = new Headers();
 * cors.apply(evil, headers);
 * console.assert(!headers.has("access-control-allow-origin") && headers.get("vary") === "Origin");
 * ```
 */
export function createCors(options: CorsOptions): Cors {
  if (typeof options !== "object" || options === null) fail("options", "must be an object");
  refuseUnknownKeys("createCors", options, corsOptionKeys);
  const credentials = options.credentials ?? false;
  if (typeof credentials !== "boolean") fail("credentials", "must be true or false");
  const match = compileOrigin(options.origin, credentials);
  const methods = tokens("allowMethods", options.allowMethods, ["GET", "HEAD", "POST"], false);
  if (methods.length === 0) fail("allowMethods", "is empty");
  const allowHeaders = tokens("allowHeaders", options.allowHeaders, [], true);
  const exposeHeaders = tokens("exposeHeaders", options.exposeHeaders, [], true);
  const maxAge = options.maxAge ?? 600;
  if (!Number.isInteger(maxAge) || maxAge < 0 || maxAge > 86_400)
    fail("maxAge", "must be whole seconds from 0 to 86400");
  const privateNetwork = options.allowPrivateNetwork ?? false;
  if (typeof privateNetwork !== "boolean") fail("allowPrivateNetwork", "must be true or false");

  const methodSet = new Set(methods);
  const headerSet = new Set(allowHeaders);
  const methodsValue = methods.join(", ");
  const allowHeadersValue = allowHeaders.join(", ");
  const exposeValue = exposeHeaders.join(", ");
  const maxAgeValue = String(maxAge);
  // What a preflight answer depends on, fixed by the options: the Vary names, listed once.
  const preflightVary = [
    ...(match === "*" ? [] : ["Origin"]),
    "Access-Control-Request-Method",
    "Access-Control-Request-Headers",
    ...(privateNetwork ? ["Access-Control-Request-Private-Network"] : []),
  ];

  /** The value of Access-Control-Allow-Origin for this request, if its origin is allowed. */
  const allowOrigin = (request: Request): string | undefined => {
    if (match === "*") return "*";
    const origin = request.headers.get("origin");
    return origin !== null && match(origin) ? origin : undefined;
  };

  const isPreflight = (request: Request): boolean =>
    request.method === "OPTIONS" &&
    request.headers.has("origin") &&
    request.headers.has("access-control-request-method");

  return {
    isPreflight,
    preflight(request) {
      const origin = allowOrigin(request);
      if (origin === undefined) return err(new CorsOriginNotAllowed());
      const method = request.headers.get("access-control-request-method") ?? "";
      if (!methodSet.has(method)) return err(new CorsMethodNotAllowed());
      const requested = parseLowerCaseList(
        request.headers.get("access-control-request-headers") ?? "",
        MAX_REQUESTED_HEADERS,
      );
      if (requested === undefined || requested.some((name) => !headerSet.has(name))) {
        return err(new CorsHeaderNotAllowed());
      }
      const headers = new Headers({
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": methodsValue,
        "Access-Control-Max-Age": maxAgeValue,
      });
      if (credentials) headers.set("Access-Control-Allow-Credentials", "true");
      if (allowHeadersValue !== "") headers.set("Access-Control-Allow-Headers", allowHeadersValue);
      if (privateNetwork && request.headers.get("access-control-request-private-network") === "true") {
        headers.set("Access-Control-Allow-Private-Network", "true");
      }
      appendVary(headers, preflightVary);
      return ok(headers);
    },
    apply(request, headers) {
      if (match !== "*") appendVary(headers, ["Origin"]);
      const origin = allowOrigin(request);
      if (origin === undefined) return;
      headers.set("Access-Control-Allow-Origin", origin);
      if (credentials) headers.set("Access-Control-Allow-Credentials", "true");
      if (exposeValue !== "") headers.set("Access-Control-Expose-Headers", exposeValue);
    },
  };
}
