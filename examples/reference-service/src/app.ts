/**
 * @module
 * The reference service: a multi-tenant task tracker on Hono, wiring every Keel package where a real
 * service needs it. This file is runtime-neutral; `node.ts`, `bun.ts`, `deno.ts` and `worker.ts` choose the
 * database, the rate-limit store and how to read the peer address, then serve it.
 *
 * | concern                         | package                                              |
 * |---------------------------------|------------------------------------------------------|
 * | headers, CORS, CSRF, body limit, request id | `@keel/http-security/hono` `jsonApiSecurity`   |
 * | client address, rate limits     | `@keel/http-security` `clientIp`, `createLoginLimiter`, `rateLimit` |
 * | passwords, access tokens        | `@keel/http-security/password`, `createJwtSigner`/`Verifier`   |
 * | tenant per request, RLS         | `@keel/tenant-context` (`tenant.ts`, `database.ts`)  |
 * | ids                             | `@keel/brand` prefixed UUIDv7 (`ids.ts`)             |
 * | errors as problems              | `@keel/result` (`problems.ts`)                       |
 * | config, secrets, log redaction  | `@keel/secure-config` (`config.ts`, `logger.ts`)     |
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import {
  createJwtSigner,
  createJwtVerifier,
  createLoginLimiter,
  createRateLimiter,
  ipRateLimitKey,
  type RateLimitStore,
  rateLimitKey,
} from "@keel/http-security";
import { clientIp, jsonApiSecurity, jwtAuth, rateLimit } from "@keel/http-security/hono";
import { createPasswordHasher } from "@keel/http-security/password";
import { problemOnError, problemResponse } from "@keel/result/hono";
import { tenantMiddleware } from "@keel/tenant-context/hono";
import type { Context, MiddlewareHandler } from "hono";
import { apiRoutes } from "./api-routes.ts";
import { authRoutes } from "./auth-routes.ts";
import type { AppConfig } from "./config.ts";
import type { Database } from "./database.ts";
import { createLogger, type Logger } from "./logger.ts";
import { createProblems, NotFound, NotReady } from "./problems.ts";
import { AccessClaimsSchema, type AppEnv, type Services } from "./services.ts";
import { telemetry } from "./telemetry.ts";
import { createApiTenantResolver, tenants } from "./tenant.ts";

const ISSUER = "https://keel.dev/reference-service";
const AUDIENCE = "reference-service-api";

/** What a runtime entry hands the app. */
export interface AppOptions {
  readonly config: AppConfig;
  /** The database; Workers open it with their first request. */
  readonly database: () => Promise<Database>;
  /** Where rate limits count: Redis, memory, or a Durable Object. */
  readonly rateLimitStore: RateLimitStore;
  /** Resolves when the rate-limit store answers (Redis' PING), for `/readyz`. */
  readonly pingStore?: () => Promise<void>;
  /** The TCP peer's address (`getConnInfo(c).remote.address`); `undefined` on Workers. */
  readonly remoteAddress?: (c: Context) => string | undefined;
  /** On Workers: the client address is Cloudflare's `CF-Connecting-IP`. */
  readonly trustCloudflare?: boolean;
  /** True once shutdown began: `/readyz` answers 503 so that the load balancer stops sending requests. */
  readonly shuttingDown?: () => boolean;
  readonly log?: Logger;
}

/** One JSON log line per request, with its request id, tenant, user, status and duration. */
function requestLog(log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    log.info("request", {
      requestId: c.var.requestId,
      tenantId: c.var.tenant?.id,
      userId: c.var.claims?.sub,
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    });
  };
}

export function createApp(options: AppOptions): OpenAPIHono<AppEnv> {
  const { config } = options;
  const log = options.log ?? createLogger();
  const problems = createProblems(log);
  const store = options.rateLimitStore;
  const onStoreError = (error: unknown) => log.error("rate-limit store failed", { error });
  const signingKey = {
    algorithm: "HS256",
    key: config.JWT_SECRET,
    issuer: ISSUER,
    audience: AUDIENCE,
  } as const;
  const services: Services = {
    database: options.database,
    problems,
    log,
    // Argon2id with OWASP's costs on every runtime, so one users table serves them all.
    passwords: createPasswordHasher(),
    signer: createJwtSigner(signingKey),
    login: createLoginLimiter({ store, onStoreError }),
  };
  const verifier = createJwtVerifier({ ...signingKey, algorithms: ["HS256"], claims: AccessClaimsSchema });
  const limiter = (name: string, limit: number, windowMs: number) =>
    createRateLimiter({ store, name, limit, windowMs, onStoreError });
  const api = limiter("api", config.API_RATE_LIMIT, 60_000);
  const perAddress = (name: string, limit: number, windowMs: number) =>
    rateLimit({
      limiter: limiter(name, limit, windowMs),
      key: (c) => ipRateLimitKey(c.var.clientIp),
      problems,
    });
  const app = new OpenAPIHono<AppEnv>();
  app.onError(problemOnError(problems));
  app.use(telemetry(), requestLog(log));
  // clientIp() before the preset: its body limit hands later middleware a new Request, and Bun's
  // getConnInfo only knows the original one.
  app.use(
    clientIp({
      ...(options.remoteAddress === undefined ? {} : { remoteAddress: options.remoteAddress }),
      trustedProxies: config.TRUSTED_PROXIES,
      trustCloudflare: options.trustCloudflare === true,
    }),
  );
  app.use(
    jsonApiSecurity({
      origin: config.CORS_ORIGINS,
      cors: { credentials: true },
      // 16 KiB of JSON is ample for any body of this API (the preset's default is 1 MiB).
      bodyLimit: { maxBytes: 16 * 1024 },
      // Clients reach it directly: their X-Request-Id would become log and problem ids, so always make one.
      // Behind a gateway that sets the header, accept its ids instead.
      requestId: { accept: false },
      problems,
    }),
  );
  app.notFound((c) => problemResponse(c, problems, new NotFound()));

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    try {
      if (options.shuttingDown?.() === true) throw new Error("shutting down");
      await (await options.database()).ping();
      await options.pingStore?.();
      return c.json({ status: "ready" });
    } catch (error) {
      log.warn("not ready", { error });
      return problemResponse(c, problems, new NotReady({ cause: error }));
    }
  });

  // Unauthenticated routes that hash a password or look a token up: limited per client address too.
  app.use("/auth/signup", perAddress("signup", 20, 60 * 60_000));
  app.use("/auth/accept-invitation", perAddress("invitation", 20, 60 * 60_000));
  app.use("/auth/refresh", perAddress("refresh", 60, 60_000));
  app.use("/auth/logout", perAddress("logout", 60, 60_000));
  app.route("/", authRoutes(services));

  app.use(
    "/api/*",
    jwtAuth({ verifier, realm: "reference-service", problems }),
    tenantMiddleware({
      context: tenants,
      resolve: createApiTenantResolver(options.database),
      claims: (c) => c.var.claims as unknown as Record<string, unknown>,
      problems,
    }),
    rateLimit({ limiter: api, key: (c) => rateLimitKey(c.var.claims.tid, c.var.claims.sub), problems }),
  );
  app.route("/api", apiRoutes(services));

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Keel reference service",
      version: "1.0.0",
      description: "A multi-tenant task tracker: workspaces, users, projects and tasks.",
    },
  });
  return app;
}
