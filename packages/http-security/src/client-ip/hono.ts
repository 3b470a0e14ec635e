/**
 * `clientIp()`: the client address of `createClientIp` on `c.var.clientIp`; `clientIpOf(c)` reads it from any context.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "../_internal/external-types.ts";
import { refuseUnknownKeys } from "../_internal/options.ts";
import { type ClientIpOptions, clientIpOptionKeys, createClientIp } from "./client-ip.ts";

/** The Hono environment {@link clientIp} adds: `c.var.clientIp`, `undefined` when no address is known. */
export interface ClientIpEnv {
  /** What handlers read as `c.var.clientIp`: the client's address, or `undefined` when none is known. */
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
 * `undefined` when there is none. Key a rate limiter on `ipNetwork(c.var.clientIp)`. Register it before
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
  refuseUnknownKeys("clientIp", options, [...clientIpOptionKeys, "remoteAddress"]);
  const { remoteAddress, ...readerOptions } = options;
  if (remoteAddress !== undefined && typeof remoteAddress !== "function") {
    throw new TypeError("clientIp: remoteAddress must be a function of the context");
  }
  const read = createClientIp(readerOptions);
  return async (c, next) => {
    const result = read(c.req.raw, remoteAddress?.(c));
    c.set("clientIp", result.isOk() ? result.value : undefined);
    await next();
  };
}

/**
 * The client address {@link clientIp} put on the context, from middleware or handlers whose Hono env does not
 * list `clientIp` (a rate-limit key, a log line): `undefined` when `clientIp()` did not run or found none.
 *
 * @example
 * ```ts
 * import { clientIp, clientIpOf } from "@keel/http-security/hono";
 * import { Hono, type Context } from "hono";
 *
 * const logLine = (c: Context) => JSON.stringify({ path: c.req.path, ip: clientIpOf(c) ?? "unknown" });
 * const app = new Hono()
 *   .use(clientIp({ remoteAddress: () => "203.0.113.7" }))
 *   .get("/", (c) => c.text(logLine(c)));
 * console.assert((await (await app.request("/")).text()).includes("203.0.113.7"));
 * ```
 */
export function clientIpOf(c: Context): string | undefined {
  // c.var holds every variable set on the request; only a string set by clientIp() counts.
  const address: unknown = Reflect.get(c.var, "clientIp");
  return typeof address === "string" ? address : undefined;
}
