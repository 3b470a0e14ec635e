/**
 * `secureHeaders()`: the security headers of `createSecureHeaders` as Hono middleware, with a CSP nonce on `c.var.cspNonce`.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "../_internal/external-types.ts";
import { onResponseHeaders } from "../_internal/hono.ts";
import {
  createSecureHeaders,
  generateCspNonce,
  type SecureHeaders,
  type SecureHeadersOptions,
} from "./secure-headers.ts";

/**
 * The Hono environment {@link secureHeaders} adds: `c.var.cspNonce`, fresh for each request whose CSP uses a
 * nonce (`""` when it uses none: no random bytes are spent on it).
 */
export interface SecureHeadersEnv {
  /** What handlers read as `c.var.cspNonce`: the `nonce` attribute for inline scripts and styles, or `""`. */
  Variables: { cspNonce: string };
}

// The SecureHeaders the innermost secureHeaders() of the request chose; only the outermost one applies it.
const ACTIVE = "keel.http-security.secureHeaders";

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
    const outermost = enterSecureHeaders(c, headers);
    await next();
    if (outermost) onResponseHeaders(c, (target) => applySecureHeaders(c, target));
  };
}

/**
 * Makes `headers` the request's active set and its nonce `c.var.cspNonce`; answers whether this is the
 * outermost set, the one that applies the active set once the handler has answered. The presets share it.
 */
export function enterSecureHeaders<E extends SecureHeadersEnv>(
  c: Context<E>,
  headers: SecureHeaders,
): boolean {
  const outermost = c.get(ACTIVE as never) === undefined;
  c.set(ACTIVE as never, headers as never);
  if (headers.usesNonce && !c.get("cspNonce")) c.set("cspNonce", generateCspNonce());
  else if (outermost) c.set("cspNonce", "");
  return outermost;
}

/** Sets the active secure headers (the innermost set the request passed) on `target`, the response's headers. */
export function applySecureHeaders<E extends SecureHeadersEnv>(c: Context<E>, target: Headers): void {
  (c.get(ACTIVE as never) as SecureHeaders).apply(target, c.get("cspNonce"));
}
