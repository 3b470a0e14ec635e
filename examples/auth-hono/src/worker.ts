/**
 * Cloudflare Workers / workerd entry. Login attempts are counted by a Durable Object (exact counts shared
 * by every isolate); the client address is Cloudflare's `CF-Connecting-IP`.
 */
import { createDurableObjectStore, type RateLimiterNamespace } from "@keel/http-security/rate-limit/workers";
import type { Hono } from "hono";
import { createApp } from "./app.ts";

// The Durable Object class the LOGIN_LIMITER binding names (wrangler.toml: [[durable_objects.bindings]]).
export { RateLimiterObject } from "@keel/http-security/rate-limit/workers";

interface Env {
  readonly JWT_SECRET: string;
  readonly LOGIN_LIMITER: RateLimiterNamespace;
}

let app: Hono | undefined;

export default {
  fetch(request: Request, env: Env, context: unknown): Response | Promise<Response> {
    // Bindings arrive with the first request: build the app once, then reuse it.
    app ??= createApp({
      jwtSecret: env.JWT_SECRET,
      loginStore: createDurableObjectStore(env.LOGIN_LIMITER),
      trustCloudflare: true,
      onStoreError: (error) =>
        console.error(JSON.stringify({ level: "error", event: "rate-limit-store", error: String(error) })),
    }) as unknown as Hono;
    return app.fetch(request, env, context as never);
  },
};
