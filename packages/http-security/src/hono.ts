/**
 * @module
 * `@keel/http-security/hono`: secure headers, CORS, cross-origin (CSRF) protection and body limits as Hono
 * middleware. Refusals are RFC 9457 problems (403, 413, 415) from a `@keel/result` problem mapper, repeating nothing the client sent.
 */
import { createProblemMapper, type ProblemMapper } from "@keel/result";
import { problemResponse } from "@keel/result/hono";
import type { Context, MiddlewareHandler } from "hono";
import { type BodyLimit, type BodyLimitOptions, createBodyLimit } from "./body-limit.ts";
import { type ClientIpOptions, createClientIp } from "./client-ip.ts";
import { type Cors, type CorsOptions, createCors } from "./cors.ts";
import {
  type CrossOriginProtection,
  type CrossOriginProtectionOptions,
  createCrossOriginProtection,
} from "./csrf.ts";
import {
  createHtmlSecurity,
  createJsonApiSecurity,
  type HtmlSecurityOptions,
  type JsonApiSecurityOptions,
  type SecurityPreset,
} from "./preset.ts";
import { createRequestId, type RequestId, type RequestIdOptions } from "./request-id.ts";
import {
  createCspNonce,
  createSecureHeaders,
  type SecureHeaders,
  type SecureHeadersOptions,
} from "./secure-headers.ts";
import {
  type BodyLimitError,
  BodyTooLarge,
  type CorsError,
  type CrossOriginError,
  httpSecurityProblemStatuses,
} from "./security-errors.ts";

/**
 * The Hono environment {@link secureHeaders} adds: `c.var.cspNonce`, fresh for each request whose CSP uses a
 * nonce (`""` when it uses none: no random bytes are spent on it).
 */
export interface SecureHeadersEnv {
  Variables: { cspNonce: string };
}

// The SecureHeaders the innermost secureHeaders() of the request chose; only the outermost one applies it.
const ACTIVE = "keel.http-security.secureHeaders";

/** Runs `apply` on the response's headers, copying the response first if its headers are immutable. */
function onResponseHeaders(c: Context, apply: (headers: Headers) => void): void {
  try {
    apply(c.res.headers);
  } catch {
    // A fetch() response passed through: its headers are immutable. Header.set throws before changing any.
    c.res = new Response(c.res.body, c.res);
    apply(c.res.headers);
  }
}

const isSecureHeaders = (value: SecureHeadersOptions | SecureHeaders): value is SecureHeaders =>
  typeof (value as SecureHeaders).apply === "function" && typeof (value as SecureHeaders).with === "function";

/**
 * Hono middleware: sets the security headers of {@link createSecureHeaders} on every response (errors and
 * 404s included) and puts a fresh CSP nonce on `c.var.cspNonce`. For a per-route variant, register it again
 * on the route: the innermost `secureHeaders()` a request passes through decides the headers (build the
 * variant with `base.with({...})` to keep the rest). Options are checked at set-up.
 *
 * @example
 * ```ts
 * import { createSecureHeaders } from "@keel/http-security";
 * import { secureHeaders } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 *
 * const site = createSecureHeaders({ contentSecurityPolicy: { preset: "html", nonce: true } });
 * const app = new Hono()
 *   .use(secureHeaders(site))
 *   .get("/", (c) => c.html(`<script nonce="${c.var.cspNonce}">console.log(1)</script>`))
 *   .get("/embed", secureHeaders(site.with({ xFrameOptions: false, contentSecurityPolicy: { directives: { "frame-ancestors": ["https://partner.example"] } } })), (c) => c.text("embeddable"));
 *
 * const page = await app.request("/");
 * const nonce = /nonce="([^"]+)"/.exec(await page.text())?.[1] ?? "";
 * console.assert(nonce !== "" && page.headers.get("content-security-policy")?.includes(`'nonce-${nonce}'`));
 * console.assert(page.headers.get("x-frame-options") === "SAMEORIGIN");
 * const embed = await app.request("/embed");
 * console.assert(!embed.headers.has("x-frame-options"));
 * console.assert(embed.headers.get("content-security-policy")?.includes("frame-ancestors https://partner.example"));
 * ```
 */
export function secureHeaders(
  options: SecureHeadersOptions | SecureHeaders = {},
): MiddlewareHandler<SecureHeadersEnv> {
  const headers = isSecureHeaders(options) ? options : createSecureHeaders(options);
  return async (c, next) => {
    const outermost = c.get(ACTIVE as never) === undefined;
    c.set(ACTIVE as never, headers as never);
    if (headers.usesNonce && !c.get("cspNonce")) c.set("cspNonce", createCspNonce());
    else if (outermost) c.set("cspNonce", "");
    await next();
    if (!outermost) return;
    const active = c.get(ACTIVE as never) as SecureHeaders;
    const nonce = c.get("cspNonce");
    onResponseHeaders(c, (target) => active.apply(target, nonce));
  };
}

/** Options for {@link cors}: those of {@link createCors}, and the mapper that answers a refused preflight. */
export interface CorsMiddlewareOptions extends CorsOptions {
  /** Answers a refused preflight; defaults to a mapper of `httpSecurityProblemStatuses` (403). */
  readonly problems?: ProblemMapper<CorsError["_tag"]>;
}

/**
 * Hono middleware: answers CORS preflights itself (204 with the CORS headers, or a 403 problem with none
 * when the origin, method or a header is not allowed) and adds the CORS headers and `Vary: Origin` to
 * every other response. Register it before routes and before {@link csrf}.
 *
 * @example
 * ```ts
 * import { cors } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 *
 * const app = new Hono()
 *   .use(cors({ origin: ["https://app.example.com"], allowMethods: ["GET", "POST", "DELETE"], allowHeaders: ["content-type"] }))
 *   .get("/orders", (c) => c.json([]));
 *
 * const ok = await app.request("/orders", { headers: { origin: "https://app.example.com" } });
 * console.assert(ok.headers.get("access-control-allow-origin") === "https://app.example.com");
 * const preflight = await app.request("/orders", {
 *   method: "OPTIONS",
 *   headers: { origin: "https://evil.example", "access-control-request-method": "DELETE" },
 * });
 * console.assert(preflight.status === 403 && !preflight.headers.has("access-control-allow-origin"));
 * console.assert(!(await preflight.text()).includes("evil"));
 * ```
 */
export function cors(options: CorsMiddlewareOptions): MiddlewareHandler {
  return corsWith(createCors(options), options.problems ?? defaultProblems());
}

const defaultProblems = (): ProblemMapper => createProblemMapper({ statuses: httpSecurityProblemStatuses });

function corsWith(policy: Cors, problems: ProblemMapper): MiddlewareHandler {
  return async (c, next) => {
    if (policy.isPreflight(c.req.raw)) {
      const result = policy.preflight(c.req.raw);
      if (result.isErr()) {
        const response = problemResponse(c, problems, result.error);
        response.headers.set("Vary", "Origin");
        return response;
      }
      return c.body(null, 204, Object.fromEntries(result.value));
    }
    await next();
    onResponseHeaders(c, (headers) => policy.apply(c.req.raw, headers));
    return undefined;
  };
}

/** Options for {@link csrf}: those of {@link createCrossOriginProtection}, and the mapper of a refusal. */
export interface CsrfMiddlewareOptions extends CrossOriginProtectionOptions {
  /** Answers a refused request; defaults to a mapper of `httpSecurityProblemStatuses` (403). */
  readonly problems?: ProblemMapper<CrossOriginError["_tag"]>;
}

/**
 * Hono middleware: refuses cross-origin state-changing browser requests with a 403 problem, by Go 1.25's
 * `CrossOriginProtection` algorithm (see {@link createCrossOriginProtection}). The request's
 * `Content-Type` plays no part.
 *
 * @example
 * ```ts
 * import { csrf } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 *
 * const app = new Hono().use(csrf()).post("/transfer", (c) => c.text("done"));
 * const attack = await app.request("/transfer", {
 *   method: "POST",
 *   headers: { "sec-fetch-site": "cross-site", "content-type": "text/plain" },
 *   body: "amount=1000",
 * });
 * console.assert(attack.status === 403);
 * console.assert(attack.headers.get("content-type") === "application/problem+json");
 * const mine = await app.request("/transfer", { method: "POST", headers: { "sec-fetch-site": "same-origin" } });
 * console.assert(mine.status === 200);
 * ```
 */
export function csrf(options: CsrfMiddlewareOptions = {}): MiddlewareHandler {
  return csrfWith(createCrossOriginProtection(options), options.problems ?? defaultProblems());
}

function csrfWith(protection: CrossOriginProtection, problems: ProblemMapper): MiddlewareHandler {
  return async (c, next) => {
    const result = protection.check(c.req.raw);
    if (result.isErr()) return problemResponse(c, problems, result.error);
    await next();
    return undefined;
  };
}

/** Options for {@link bodyLimit}: those of {@link createBodyLimit}, and the mapper of a refusal. */
export interface BodyLimitMiddlewareOptions extends BodyLimitOptions {
  /** Answers a refused body; defaults to a mapper of `httpSecurityProblemStatuses` (413, 415). */
  readonly problems?: ProblemMapper<BodyLimitError["_tag"]>;
}

/**
 * Hono middleware: refuses a body over `maxBytes` with a 413 problem (up front by `Content-Length`, or while
 * the handler reads it: the read fails, and whatever the handler answered is replaced by the 413) and,
 * with `contentTypes`, a media type not listed with a 415 problem. See {@link createBodyLimit}.
 *
 * @example
 * ```ts
 * import { bodyLimit } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 *
 * const app = new Hono()
 *   .use(bodyLimit({ maxBytes: 1024, contentTypes: ["application/json"] }))
 *   .post("/notes", async (c) => c.json(await c.req.json(), 201));
 *
 * const note = { method: "POST", headers: { "content-type": "application/json" } };
 * console.assert((await app.request("/notes", { ...note, body: '{"text":"hi"}' })).status === 201);
 * console.assert((await app.request("/notes", { ...note, body: JSON.stringify("x".repeat(2000)) })).status === 413);
 * const form = await app.request("/notes", { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" });
 * console.assert(form.status === 415);
 * ```
 */
export function bodyLimit(options: BodyLimitMiddlewareOptions = {}): MiddlewareHandler {
  return bodyLimitWith(createBodyLimit(options), options.problems ?? defaultProblems());
}

function bodyLimitWith(limit: BodyLimit, problems: ProblemMapper): MiddlewareHandler {
  return async (c, next) => {
    const result = limit.check(c.req.raw);
    if (result.isErr()) return problemResponse(c, problems, result.error);
    c.req.raw = result.value.request;
    await next();
    if (result.value.exceeded()) {
      // Drop the handler's answer (often a 500 from the failed read) and its headers, then answer 413.
      c.res = undefined as unknown as Response;
      c.res = problemResponse(c, problems, new BodyTooLarge());
    }
    return undefined;
  };
}

/** The Hono environment {@link requestId} adds: `c.var.requestId`, the name Hono's own middleware uses. */
export interface RequestIdEnv {
  Variables: { requestId: string };
}

function requestIdWith(ids: RequestId): MiddlewareHandler<RequestIdEnv> {
  return async (c, next) => {
    const id = ids.fromRequest(c.req.raw);
    c.set("requestId", id);
    await next();
    onResponseHeaders(c, (headers) => headers.set(ids.header, id));
  };
}

/**
 * Hono middleware: puts the request's id on `c.var.requestId` (the inbound `x-request-id` when it has the
 * accepted shape, else a fresh UUIDv7; see {@link createRequestId}) and echoes it in the response header,
 * errors included. `problemOnError` and `createResponder` of `@keel/result/hono`, and this package's
 * refusals, use it as the problem's `correlationId`; log it too. Register it first.
 *
 * @example
 * ```ts
 * import { createProblemMapper } from "@keel/result";
 * import { problemOnError } from "@keel/result/hono";
 * import { requestId } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 *
 * const app = new Hono()
 *   .use(requestId())
 *   .get("/", (c) => c.text(c.var.requestId))
 *   .get("/boom", () => {
 *     throw new Error("boom");
 *   });
 * app.onError(problemOnError(createProblemMapper({ statuses: {} })));
 *
 * const kept = await app.request("/", { headers: { "x-request-id": "lb-4f2a9c" } });
 * console.assert((await kept.text()) === "lb-4f2a9c" && kept.headers.get("x-request-id") === "lb-4f2a9c");
 * const failed = await app.request("/boom", { headers: { "x-request-id": "bad id\twith tab" } });
 * const id = failed.headers.get("x-request-id") ?? "";
 * console.assert(id.length === 36 && (await failed.json()).correlationId === id);
 * ```
 */
export function requestId(options: RequestIdOptions = {}): MiddlewareHandler<RequestIdEnv> {
  return requestIdWith(createRequestId(options));
}

/** The Hono environment {@link clientIp} adds: `c.var.clientIp`, `undefined` when no address is known. */
export interface ClientIpEnv {
  Variables: { clientIp: string | undefined };
}

/** Options for {@link clientIp}: those of {@link createClientIp}, and where the connection address is. */
export interface ClientIpMiddlewareOptions extends ClientIpOptions {
  /**
   * The connection's peer address. Hono gives it per runtime adapter: pass
   * `(c) => getConnInfo(c).remote.address` with `getConnInfo` from `hono/bun`, `hono/deno`,
   * `@hono/node-server/conninfo`... None on Workers: set `trustCloudflare: true` there.
   */
  readonly remoteAddress?: (c: Context) => string | undefined;
}

/**
 * Hono middleware: puts the client's address on `c.var.clientIp`, by {@link createClientIp} (forwarding
 * headers only through trusted proxies; `CF-Connecting-IP` only with `trustCloudflare: true`), or
 * `undefined` when there is none. Key a rate limiter on `ipKey(c.var.clientIp)`.
 *
 * @example
 * ```ts
 * import { clientIp } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 *
 * // In a real app: remoteAddress: (c) => getConnInfo(c).remote.address, getConnInfo from your adapter.
 * const app = new Hono()
 *   .use(clientIp({ trustedProxies: ["10.0.0.0/8"], remoteAddress: () => "10.1.2.3" }))
 *   .get("/", (c) => c.text(c.var.clientIp ?? "unknown"));
 *
 * const response = await app.request("/", { headers: { "x-forwarded-for": "1.1.1.1, 198.51.100.4" } });
 * console.assert((await response.text()) === "198.51.100.4");
 * ```
 */
export function clientIp(options: ClientIpMiddlewareOptions = {}): MiddlewareHandler<ClientIpEnv> {
  const { remoteAddress } = options;
  if (remoteAddress !== undefined && typeof remoteAddress !== "function") {
    throw new TypeError("clientIp: remoteAddress must be a function of the context");
  }
  const read = createClientIp(options);
  return async (c, next) => {
    const result = read(c.req.raw, remoteAddress?.(c as unknown as Context));
    c.set("clientIp", result.isOk() ? result.value : undefined);
    await next();
  };
}

/** The Hono environment of the presets: `c.var.requestId` and `c.var.cspNonce`. */
export interface SecurityPresetEnv {
  Variables: { requestId: string; cspNonce: string };
}

/** Runs middleware in order as one; a middleware's returned response becomes `c.res`. */
function chain(handlers: readonly MiddlewareHandler[]): MiddlewareHandler {
  return async (c, next) => {
    const dispatch = async (index: number): Promise<void> => {
      const handler = handlers[index];
      if (handler === undefined) return next();
      const response = await handler(c, () => dispatch(index + 1));
      if (response instanceof Response) c.res = response;
    };
    await dispatch(0);
  };
}

function presetMiddleware(
  preset: SecurityPreset,
  problems: ProblemMapper,
): MiddlewareHandler<SecurityPresetEnv> {
  const parts: MiddlewareHandler[] = [];
  if (preset.requestId !== undefined) parts.push(requestIdWith(preset.requestId) as MiddlewareHandler);
  parts.push(secureHeaders(preset.secureHeaders) as MiddlewareHandler);
  if (preset.cors !== undefined) parts.push(corsWith(preset.cors, problems));
  if (preset.crossOriginProtection !== undefined)
    parts.push(csrfWith(preset.crossOriginProtection, problems));
  if (preset.bodyLimit !== undefined) parts.push(bodyLimitWith(preset.bodyLimit, problems));
  return chain(parts) as MiddlewareHandler<SecurityPresetEnv>;
}

/** Options for {@link jsonApiSecurity}: those of {@link createJsonApiSecurity}, and the mapper of refusals. */
export interface JsonApiSecurityMiddlewareOptions extends JsonApiSecurityOptions {
  /** Answers refusals; defaults to a mapper of `httpSecurityProblemStatuses`. */
  readonly problems?: ProblemMapper;
}

/** Options for {@link htmlSecurity}: those of {@link createHtmlSecurity}, and the mapper of refusals. */
export interface HtmlSecurityMiddlewareOptions extends HtmlSecurityOptions {
  /** Answers refusals; defaults to a mapper of `httpSecurityProblemStatuses`. */
  readonly problems?: ProblemMapper;
}

/**
 * Hono middleware: everything a JSON API needs from this package in one call, in the right order: request
 * ids, secure headers (CSP `"api"`), strict CORS for the listed origins, cross-origin (CSRF) protection and a
 * 1 MiB `application/json` body limit. See {@link createJsonApiSecurity} for the options.
 *
 * @example
 * ```ts
 * import { jsonApiSecurity } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 *
 * const app = new Hono().use(jsonApiSecurity({ origin: ["https://app.example.com"] }));
 * app.post("/orders", async (c) => c.json(await c.req.json(), 201));
 *
 * const mine = await app.request("/orders", {
 *   method: "POST",
 *   headers: { origin: "https://app.example.com", "sec-fetch-site": "same-origin", "content-type": "application/json" },
 *   body: '{"item":1}',
 * });
 * console.assert(mine.status === 201 && mine.headers.get("access-control-allow-origin") === "https://app.example.com");
 * console.assert(mine.headers.get("x-request-id") !== null && mine.headers.get("x-content-type-options") === "nosniff");
 *
 * const attack = await app.request("/orders", { method: "POST", headers: { "sec-fetch-site": "cross-site" } });
 * console.assert(attack.status === 403 && (await attack.json()).correlationId === attack.headers.get("x-request-id"));
 * ```
 */
export function jsonApiSecurity(
  options: JsonApiSecurityMiddlewareOptions,
): MiddlewareHandler<SecurityPresetEnv> {
  return presetMiddleware(createJsonApiSecurity(options), options.problems ?? defaultProblems());
}

/**
 * Hono middleware: the HTML-site preset of {@link createHtmlSecurity} (request ids, secure headers with the
 * `"html"` CSP and a nonce on `c.var.cspNonce`, CSRF protection, a 1 MiB body limit; CORS only with
 * `origin`).
 *
 * @example
 * ```ts
 * import { htmlSecurity } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 *
 * const app = new Hono()
 *   .use(htmlSecurity())
 *   .get("/", (c) => c.html(`<script nonce="${c.var.cspNonce}">start()</script>`))
 *   .post("/comment", (c) => c.text("saved"));
 *
 * const page = await app.request("/");
 * const nonce = /nonce="([^"]+)"/.exec(await page.text())?.[1] ?? "";
 * console.assert(nonce !== "" && page.headers.get("content-security-policy")?.includes(`'nonce-${nonce}'`));
 * const forged = await app.request("/comment", { method: "POST", headers: { "sec-fetch-site": "cross-site" } });
 * console.assert(forged.status === 403);
 * ```
 */
export function htmlSecurity(
  options: HtmlSecurityMiddlewareOptions = {},
): MiddlewareHandler<SecurityPresetEnv> {
  return presetMiddleware(createHtmlSecurity(options), options.problems ?? defaultProblems());
}
