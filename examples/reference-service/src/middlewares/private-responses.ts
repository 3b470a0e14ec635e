/**
 * @module
 * Tenant answers are private: `Cache-Control: private, no-store` on every response of the authenticated
 * API, refusals and problems included, so that no shared cache (a CDN, a company proxy) keeps one tenant's
 * answer to serve it to another, and no browser keeps it on disk. `Vary: Origin` alone does not say that.
 */
import type { MiddlewareHandler } from "hono";

/** The `Cache-Control` of every `/api` answer. */
export const PRIVATE_CACHE_CONTROL = "private, no-store";

/**
 * Hono middleware: sets `Cache-Control: private, no-store` on the response, whatever answered it (the
 * handler, a middleware's refusal, `onError` or `notFound`). Registered before the middleware whose
 * answers it covers.
 */
export function privateResponses(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    // Set in place: `c.header()` after `next()` would copy the whole response on every request.
    try {
      c.res.headers.set("Cache-Control", PRIVATE_CACHE_CONTROL);
    } catch {
      // A fetch() response passed through has immutable headers: then a copy it is.
      c.header("Cache-Control", PRIVATE_CACHE_CONTROL);
    }
  };
}
