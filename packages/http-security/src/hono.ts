/**
 * @module
 * `@keel/http-security/hono`: secure headers, CORS, cross-origin (CSRF) protection, body limits, request ids,
 * client IPs, rate limits and JWT authentication as Hono middleware. Refusals are RFC 9457 problems (401, 403,
 * 413, 415, 429, 503) from a `@keel/result` problem mapper, repeating nothing the client sent.
 */
import { createProblemMapper, type ProblemMapper } from "@keel/result";
import { problemResponse } from "@keel/result/hono";
import type { Context, MiddlewareHandler } from "hono";
import { parseBearer } from "./_internal/bearer.ts";
import { isToken } from "./_internal/http-syntax.ts";
import { type BodyLimit, type BodyLimitOptions, createBodyLimit } from "./body-limit.ts";
import { type ClientIpOptions, createClientIp, type IpKeyOptions } from "./client-ip.ts";
import { parseCookies } from "./cookies.ts";
import { type Cors, type CorsOptions, createCors } from "./cors.ts";
import {
  type CrossOriginProtection,
  type CrossOriginProtectionOptions,
  createCrossOriginProtection,
} from "./csrf.ts";
import type { JwtClaims, JwtVerifier } from "./jwt.ts";
import { type JwtError, JwtMalformed, JwtMissing } from "./jwt-errors.ts";
import {
  createHtmlSecurity,
  createJsonApiSecurity,
  type HtmlSecurityOptions,
  type JsonApiSecurityOptions,
  type SecurityPreset,
} from "./preset.ts";
import { ipRateLimitKey, type RateLimitCheck, type RateLimiter } from "./rate-limit.ts";
import type { RateLimitError } from "./rate-limit-errors.ts";
import { createRequestId, type RequestId, type RequestIdOptions } from "./request-id.ts";
import {
  createCspNonce,
  createSecureHeaders,
  type SecureHeaders,
  type SecureHeadersOptions,
} from "./secure-headers.ts";
import {
  type BodyLimitError,
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

let sharedProblems: ProblemMapper | undefined;
/** The mapper of `httpSecurityProblemStatuses`, made once, on first use. */
const defaultProblems = (): ProblemMapper =>
  (sharedProblems ??= createProblemMapper({ statuses: httpSecurityProblemStatuses }));

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
    const refusal = result.value.refusal();
    if (refusal !== undefined) {
      // Drop the handler's answer (often a 500 from the failed read) and its headers, then answer 413 or 415.
      c.res = undefined as unknown as Response;
      c.res = problemResponse(c, problems, refusal);
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
 * `undefined` when there is none. Key a rate limiter on `ipKey(c.var.clientIp)`. Register it before
 * `bodyLimit()` and the presets: they re-wrap a request that has a body (to count its bytes), and Bun's
 * `getConnInfo` knows only the original request (it finds no address for the copy).
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

// Rate limiting

/** Options for {@link rateLimit}. */
export interface RateLimitMiddlewareOptions {
  /** The limiter from `createRateLimiter` (its failure mode decides what a store failure answers). */
  readonly limiter: RateLimiter;
  /**
   * The request's key: `rateLimitByIp()`, or any function (`(c) => rateLimitKey("user", c.var.userId)`).
   * `undefined` exempts the request from this limiter.
   */
  readonly key: (c: Context) => string | undefined | Promise<string | undefined>;
  /** Units the request costs (default 1): a number, or a function of the context. */
  readonly cost?: number | ((c: Context) => number);
  /** Answers a refusal; defaults to a mapper of `httpSecurityProblemStatuses` (429, 503). */
  readonly problems?: ProblemMapper<RateLimitError["_tag"]>;
}

/**
 * The key function of the client's address: `ipRateLimitKey(c.var.clientIp)`, so register `clientIp()`
 * (with your trusted proxies) before `rateLimit()`. Without it, or with no address known, every request
 * shares the key `"ip:unknown"`: a missing address is limited, never exempt.
 *
 * @example
 * ```ts
 * import { createMemoryStore, createRateLimiter } from "@keel/http-security";
 * import { clientIp, rateLimit, rateLimitByIp } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 *
 * const limiter = createRateLimiter({ store: createMemoryStore(), limit: 1, windowMs: 60_000 });
 * const app = new Hono()
 *   .use(clientIp({ remoteAddress: (c) => c.req.header("x-test-peer") })) // getConnInfo(c).remote.address in an app
 *   .use(rateLimit({ limiter, key: rateLimitByIp() }))
 *   .get("/", (c) => c.text("ok"));
 * const ask = (peer: string) => app.request("/", { headers: { "x-test-peer": peer } });
 * console.assert((await ask("::ffff:192.0.2.1")).status === 200);
 * console.assert((await ask("192.0.2.1")).status === 429); // the same client
 * console.assert((await ask("192.0.2.2")).status === 200);
 * ```
 */
export function rateLimitByIp(options?: IpKeyOptions): (c: Context) => string {
  if (options !== undefined) ipRateLimitKey("127.0.0.1", options); // checks the prefixes at set-up
  return (c) => ipRateLimitKey((c as Context<ClientIpEnv>).var.clientIp, options);
}

/** Adds the limiter's headers to the response (`append`: several limiters list several policies). */
function appendHeaders(headers: Headers, fields: Record<string, string>): void {
  for (const name of Object.keys(fields)) {
    if (name === "Retry-After") headers.set(name, fields[name] as string);
    else headers.append(name, fields[name] as string);
  }
}

/**
 * The problem response for a refused rate-limit check: 429 with `Retry-After` for `RateLimited`, 503 for
 * `RateLimitStoreUnavailable`, both with the limiter's `RateLimit-Policy` / `RateLimit` headers. The body
 * repeats neither the key nor the client's address. For handlers that check a limiter themselves (a login).
 *
 * @example
 * ```ts
 * import { createLoginLimiter, createMemoryStore } from "@keel/http-security";
 * import { rateLimitResponse } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 *
 * const login = createLoginLimiter({ store: createMemoryStore() });
 * const app = new Hono().post("/login", async (c) => {
 *   const { account, password } = await c.req.json<{ account: string; password: string }>();
 *   const attempt = await login.attempt({ account, ip: c.req.header("x-test-peer") });
 *   if (attempt.isErr()) return rateLimitResponse(c, login, attempt.error); // the password is not checked
 *   if (password !== "right") return c.json({ error: "wrong account or password" }, 401);
 *   await login.recordSuccess({ account });
 *   return c.json({ ok: true });
 * });
 * const post = (password: string) =>
 *   app.request("/login", { method: "POST", headers: { "x-test-peer": "192.0.2.9" }, body: JSON.stringify({ account: "alice", password }) });
 * for (let i = 0; i < 5; i++) console.assert((await post("wrong")).status === 401);
 * const sixth = await post("wrong");
 * console.assert(sixth.status === 429 && sixth.headers.get("retry-after") !== null);
 * console.assert(sixth.headers.get("ratelimit-policy") === '"login-ip";q=5;w=60'); // the address ran out first
 * ```
 */
export function rateLimitResponse(
  c: Context,
  limiter: Pick<RateLimiter, "headers">,
  error: RateLimitError,
  problems?: ProblemMapper,
): Response {
  const response = problemResponse(c, problems ?? defaultProblems(), error);
  appendHeaders(response.headers, limiter.headers(error));
  return response;
}

/**
 * Hono middleware: checks `limiter` for the request's key before the handler runs. Admitted requests get
 * the `RateLimit-Policy` and `RateLimit` headers on their response; refused ones a 429 problem with
 * `Retry-After`. A store failure answers 503 when the limiter fails closed, and passes (reported to its
 * `onStoreError`, with no `RateLimit` header) when it fails open.
 *
 * @example
 * ```ts
 * import { createMemoryStore, createRateLimiter, rateLimitKey } from "@keel/http-security";
 * import { rateLimit } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 *
 * const store = createMemoryStore({ now: () => 0 }); // a still clock, for the example's exact figures
 * const limiter = createRateLimiter({ store, limit: 2, windowMs: 60_000, name: "search" });
 * const app = new Hono()
 *   .use("/search", rateLimit({ limiter, key: (c) => rateLimitKey("tenant", c.req.header("x-tenant") ?? "none") }))
 *   .get("/search", (c) => c.text("results"));
 * const ask = () => app.request("/search", { headers: { "x-tenant": "acme" } });
 * const first = await ask();
 * console.assert(first.headers.get("ratelimit") === '"search";r=1;t=120');
 * console.assert(first.headers.get("ratelimit-policy") === '"search";q=2;w=60');
 * await ask();
 * const third = await ask();
 * console.assert(third.status === 429 && third.headers.get("retry-after") === "90"); // 2 weigh 1 at 30 s into the next window
 * console.assert(third.headers.get("content-type") === "application/problem+json");
 * ```
 */
export function rateLimit(options: RateLimitMiddlewareOptions): MiddlewareHandler {
  const { limiter, key, cost = 1 } = options;
  if (typeof limiter?.check !== "function" || typeof limiter.headers !== "function") {
    throw new TypeError("rateLimit: limiter must come from createRateLimiter");
  }
  if (typeof key !== "function") throw new TypeError("rateLimit: key must be a function of the context");
  if (
    typeof cost !== "function" &&
    (!Number.isSafeInteger(cost) || cost < 1 || cost > limiter.policy.limit)
  ) {
    throw new TypeError("rateLimit: cost must be a whole number from 1 to the limit, or a function");
  }
  const problems = options.problems ?? defaultProblems();
  return async (c, next) => {
    const id = await key(c);
    if (id === undefined) {
      await next();
      return undefined;
    }
    const result = await limiter.check(id, typeof cost === "function" ? cost(c) : cost);
    if (result.isErr()) return rateLimitResponse(c, limiter, result.error, problems);
    const decision: RateLimitCheck = result.value;
    await next();
    onResponseHeaders(c, (headers) => appendHeaders(headers, limiter.headers(decision)));
    return undefined;
  };
}

// JWT authentication

/** The Hono environment {@link jwtAuth} adds: `c.var.claims`, the verified (schema-typed) claims. */
export interface JwtAuthEnv<Claims = JwtClaims> {
  Variables: { claims: Claims };
}

/** Options for {@link jwtAuth}. */
export interface JwtAuthOptions<Claims = JwtClaims> {
  /** The verifier from `createJwtVerifier`; its claims type becomes `c.var.claims`'s. */
  readonly verifier: JwtVerifier<Claims>;
  /**
   * The request header holding `Bearer <token>`; defaults to `"authorization"`. `false` reads only the
   * cookie.
   */
  readonly header?: string | false;
  /**
   * A cookie holding the bare token (a browser session), read when the header holds no `Bearer`
   * credentials: absent, or another scheme; never instead of a malformed `Bearer`. Pair it with `csrf()` (a
   * cookie is sent on cross-site requests) and give it a `__Host-` name (the first cookie of a name wins).
   */
  readonly cookie?: string;
  /** The `realm` of the `WWW-Authenticate` challenge; none by default. */
  readonly realm?: string;
  /** Answers a refusal; defaults to a mapper of `httpSecurityProblemStatuses` (401, and 503 for a JWKS outage). */
  readonly problems?: ProblemMapper<JwtError["_tag"]>;
}

/**
 * Hono middleware: verifies the request's bearer token (the `Authorization` header, strictly
 * `Bearer <token68>`, or else the configured cookie) with a {@link createJwtVerifier} verifier and puts the
 * claims on `c.var.claims`. A refusal is a 401 problem with `WWW-Authenticate: Bearer` (RFC 6750: no
 * `error` when no token was sent, else `error="invalid_token"`; never an `error_description` or anything
 * of the token); a JWKS outage is a 503 problem.
 *
 * @example
 * ```ts
 * import { createJwtSigner, createJwtVerifier } from "@keel/http-security";
 * import { jwtAuth } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 * import * as z from "zod";
 *
 * const secret = "a-secret-of-at-least-32-bytes-for-hs256!";
 * const verifier = createJwtVerifier({
 *   algorithms: ["HS256"],
 *   key: secret,
 *   issuer: "https://auth.example",
 *   audience: "api",
 *   claims: z.object({ sub: z.string(), scope: z.string() }),
 * });
 * const app = new Hono()
 *   .use("/api/*", jwtAuth({ verifier, realm: "api" }))
 *   .get("/api/me", (c) => c.json({ user: c.var.claims.sub, scope: c.var.claims.scope }));
 *
 * const signer = createJwtSigner({ algorithm: "HS256", key: secret, issuer: "https://auth.example", audience: "api" });
 * const token = await signer.sign({ scope: "read" }, { subject: "user-1" });
 * const me = await app.request("/api/me", { headers: { authorization: `Bearer ${token}` } });
 * console.assert(me.status === 200 && (await me.json()).user === "user-1");
 *
 * const anonymous = await app.request("/api/me");
 * console.assert(anonymous.status === 401 && anonymous.headers.get("www-authenticate") === 'Bearer realm="api"');
 * const forged = await app.request("/api/me", { headers: { authorization: `Bearer ${token}x` } });
 * console.assert(forged.headers.get("www-authenticate") === 'Bearer realm="api", error="invalid_token"');
 * ```
 */
export function jwtAuth<Claims = JwtClaims>(
  options: JwtAuthOptions<Claims>,
): MiddlewareHandler<JwtAuthEnv<Claims>> {
  const fail = (option: string, reason: string): never => {
    throw new TypeError(`jwtAuth: ${option} ${reason}`);
  };
  if (typeof options !== "object" || options === null) fail("options", "must be an object");
  const { verifier, cookie, realm } = options;
  if (typeof verifier?.verify !== "function") fail("verifier", "must be made by createJwtVerifier");
  const header = options.header === undefined ? "authorization" : options.header;
  if (header !== false && (typeof header !== "string" || !isToken(header))) {
    fail("header", "must be a header name or false");
  }
  if (cookie !== undefined && (typeof cookie !== "string" || !isToken(cookie)))
    fail("cookie", "must be a cookie name");
  if (header === false && cookie === undefined) fail("header", "may be false only with a cookie");
  if (realm !== undefined && (typeof realm !== "string" || !/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(realm))) {
    fail("realm", "must be printable ASCII without quotes or backslashes");
  }
  const problems = options.problems ?? defaultProblems();
  const challenge = realm === undefined ? "Bearer" : `Bearer realm="${realm}"`;
  const separator = realm === undefined ? " " : ", ";

  return async (c, next) => {
    let token: string | false | undefined;
    if (header !== false) token = parseBearer(c.req.raw.headers.get(header));
    if (token === undefined && cookie !== undefined) token = parseCookies(c.req.raw).get(cookie);
    let error: JwtError;
    if (token === false) error = new JwtMalformed();
    else if (token === undefined) error = new JwtMissing();
    else {
      const result = await verifier.verify(token);
      if (result.isOk()) {
        c.set("claims", result.value.claims);
        await next();
        return undefined;
      }
      error = result.error;
    }
    const response = problemResponse(c, problems, error);
    if (response.status === 401) {
      response.headers.set(
        "WWW-Authenticate",
        error._tag === "JwtMissing" ? challenge : `${challenge}${separator}error="invalid_token"`,
      );
    }
    return response;
  };
}
