/**
 * @module
 * `@keel/http-security/hono`: secure headers, CORS, cross-origin (CSRF) protection and body limits as Hono
 * middleware. Refusals are RFC 9457 problems (403, 413, 415) from a `@keel/result` problem mapper, repeating nothing the client sent.
 */
import { createProblemMapper, type ProblemMapper } from "@keel/result";
import type { Context, MiddlewareHandler } from "hono";
import { type BodyLimitOptions, createBodyLimit } from "./body-limit.ts";
import { type Cors, type CorsOptions, createCors } from "./cors.ts";
import { type CrossOriginProtectionOptions, createCrossOriginProtection } from "./csrf.ts";
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

/** The Hono environment {@link secureHeaders} adds: `c.var.cspNonce`, fresh for each request. */
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

function problemResponse(c: Context, problems: ProblemMapper, error: unknown): Response {
  const problem = problems.toProblemUnchecked(error, { instance: new URL(c.req.url).pathname });
  return c.body(JSON.stringify(problem), problem.status as 403, {
    "content-type": "application/problem+json",
  });
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
    if (outermost) c.set("cspNonce", createCspNonce());
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
  const policy: Cors = createCors(options);
  const problems = options.problems ?? createProblemMapper({ statuses: httpSecurityProblemStatuses });
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
  const protection = createCrossOriginProtection(options);
  const problems = options.problems ?? createProblemMapper({ statuses: httpSecurityProblemStatuses });
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
  const limit = createBodyLimit(options);
  const problems = options.problems ?? createProblemMapper({ statuses: httpSecurityProblemStatuses });
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
