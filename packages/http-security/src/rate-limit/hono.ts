/**
 * `rateLimit()`, `byClientIp()` and `rateLimitResponse()`: a rate limiter of `createRateLimiter` as Hono middleware (429 and 503 problems, `RateLimit` headers).
 *
 * @module
 */
import type { ProblemMapper } from "@keel/result";
import { problemResponse } from "@keel/result/hono";
import type { Context, MiddlewareHandler } from "../_internal/external-types.ts";
import { defaultProblems, onResponseHeaders } from "../_internal/hono.ts";
import { refuseUnknownKeys } from "../_internal/options.ts";
import type { IpNetworkOptions } from "../client-ip/client-ip.ts";
import { clientIpOf } from "../client-ip/hono.ts";
import type { RateLimitError } from "./errors.ts";
import { ipRateLimitKey, type RateLimitCheck, type RateLimiter } from "./rate-limit.ts";

const RATE_LIMIT_MIDDLEWARE_OPTIONS = ["limiter", "key", "cost", "problems"] as const;

/** Options for {@link rateLimit}. */
export interface RateLimitMiddlewareOptions {
  /** The limiter from `createRateLimiter` (its failure mode decides what a store failure answers). */
  readonly limiter: RateLimiter;
  /**
   * The request's key: `byClientIp()`, or any function (`(c) => rateLimitKey("user", c.var.userId)`).
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
 * import { createMemoryStore, createRateLimiter } from "@keel/http-security/rate-limit";
 * import { clientIp, rateLimit, byClientIp } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 *
 * const limiter = createRateLimiter({ store: createMemoryStore(), limit: 1, windowMs: 60_000 });
 * const app = new Hono()
 *   .use(clientIp({ remoteAddress: (c) => c.req.header("x-test-peer") })) // getConnInfo(c).remote.address in an app
 *   .use(rateLimit({ limiter, key: byClientIp() }))
 *   .get("/", (c) => c.text("ok"));
 * const ask = (peer: string) => app.request("/", { headers: { "x-test-peer": peer } });
 * console.assert((await ask("::ffff:192.0.2.1")).status === 200);
 * console.assert((await ask("192.0.2.1")).status === 429); // the same client
 * console.assert((await ask("192.0.2.2")).status === 200);
 * ```
 */
export function byClientIp(options?: IpNetworkOptions): (c: Context) => string {
  if (options !== undefined) ipRateLimitKey("127.0.0.1", options); // checks the prefixes at set-up
  return (c) => ipRateLimitKey(clientIpOf(c), options);
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
 * import { createLoginLimiter, createMemoryStore } from "@keel/http-security/rate-limit";
 * import { rateLimitResponse } from "@keel/http-security/hono";
 * import { Hono } from "hono";
 *
 * const login = createLoginLimiter({ store: createMemoryStore() });
 * const app = new Hono().post("/login", async (c) => {
 *   const { account, password } = await c.req.json<{ account: string; password: string }>();
 *   const ip = c.req.header("x-test-peer"); // c.var.clientIp, from clientIp(), in an app
 *   const attempt = await login.attempt({ account, ip });
 *   if (attempt.isErr()) return rateLimitResponse(c, login, attempt.error); // the password is not checked
 *   if (password !== "right") return c.json({ error: "wrong account or password" }, 401);
 *   await login.recordSuccess({ account, ip });
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
 * import { createMemoryStore, createRateLimiter, rateLimitKey } from "@keel/http-security/rate-limit";
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
  if (typeof options !== "object" || options === null) {
    throw new TypeError("rateLimit: options must be an object");
  }
  refuseUnknownKeys("rateLimit", options, RATE_LIMIT_MIDDLEWARE_OPTIONS);
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
