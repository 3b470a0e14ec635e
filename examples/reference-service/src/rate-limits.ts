/**
 * @module
 * The service's rate limits, all counted in one store (Redis; memory without `REDIS_URL`; a Durable Object
 * on Workers). Logins: 5 a minute per address and per account from one address, 100 per account in all,
 * checked by the login handler before the password. The other unauthenticated routes that hash a password or look a token up: per client address.
 * The API: per tenant and user. A store failure is logged and answered 503 (the limiters fail closed).
 */
import { byClientIp, rateLimit } from "@keel/http-security/hono";
import {
  createLoginLimiter,
  createRateLimiter,
  type LoginLimiter,
  type RateLimitStore,
  rateLimitKey,
} from "@keel/http-security/rate-limit";
import type { ProblemMapper } from "@keel/result";
import type { Context, MiddlewareHandler } from "hono";
import type { Logger } from "./logger.ts";
import type { AppEnv } from "./services.ts";

/** The limiters: the login's, for its handler, and the middleware of each limited route. */
export interface RateLimits {
  readonly login: LoginLimiter;
  readonly signup: MiddlewareHandler;
  readonly invitation: MiddlewareHandler;
  readonly refresh: MiddlewareHandler;
  readonly logout: MiddlewareHandler;
  /** After `jwtAuth()`: keyed by the token's tenant and user. */
  readonly api: MiddlewareHandler;
}

export function createRateLimits(
  store: RateLimitStore,
  options: { readonly apiLimit: number; readonly problems: ProblemMapper; readonly log: Logger },
): RateLimits {
  const { problems, log } = options;
  const onStoreError = (error: unknown) => log.error("rate-limit store failed", { error });
  const limiter = (name: string, limit: number, windowMs: number) =>
    createRateLimiter({ store, name, limit, windowMs, onStoreError });
  const perAddress = (name: string, limit: number, windowMs: number) =>
    rateLimit({ limiter: limiter(name, limit, windowMs), key: byClientIp(), problems });
  return {
    login: createLoginLimiter({ store, onStoreError }),
    signup: perAddress("signup", 20, 60 * 60_000),
    invitation: perAddress("invitation", 20, 60 * 60_000),
    refresh: perAddress("refresh", 60, 60_000),
    logout: perAddress("logout", 60, 60_000),
    api: rateLimit({
      limiter: limiter("api", options.apiLimit, 60_000),
      key: (c: Context<AppEnv>) => rateLimitKey(c.var.claims.tid, c.var.claims.sub),
      problems,
    }),
  };
}
