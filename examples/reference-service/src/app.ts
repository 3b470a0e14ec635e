/**
 * @module
 * The reference service: a multi-tenant task tracker on Hono, wiring every Keel package where a real
 * service needs it. This file only composes: the services, the middleware in their order, the route
 * groups of `routes/`. It is runtime-neutral; `node.ts`, `bun.ts`, `deno.ts` and `worker.ts` choose the
 * database, the rate-limit store and how to read the peer address, then serve it.
 *
 * | concern                         | package                                              |
 * |---------------------------------|------------------------------------------------------|
 * | headers, CORS, CSRF, body limit, request id | `@keel/http-security/hono` `jsonApiSecurity`   |
 * | client address, rate limits     | `@keel/http-security/hono` `clientIp`, `rateLimit` (`rate-limits.ts`) |
 * | passwords, access tokens        | `@keel/http-security/password`, `/jwt` (`access-tokens.ts`)  |
 * | tenant per request, RLS         | `@keel/tenant-context` (`tenant.ts`, `database.ts`)  |
 * | ids                             | `@keel/brand` prefixed UUIDv7 (`ids.ts`)             |
 * | errors as problems              | `@keel/result` (`problems.ts`)                       |
 * | config, secrets, log redaction  | `@keel/secure-config` (`config.ts`, `logger.ts`)     |
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { clientIp, jsonApiSecurity, jwtAuth, jwtClaims } from "@keel/http-security/hono";
import { createPasswordHasher } from "@keel/http-security/password";
import type { RateLimitStore } from "@keel/http-security/rate-limit";
import { problemOnError, problemResponse } from "@keel/result/hono";
import { tenant } from "@keel/tenant-context/hono";
import type { Context } from "hono";
import { createAccessTokens } from "./access-tokens.ts";
import type { AppConfig } from "./config.ts";
import type { Database } from "./database.ts";
import { createLogger, type Logger } from "./logger.ts";
import { privateResponses } from "./middlewares/private-responses.ts";
import { requestLog } from "./middlewares/request-log.ts";
import { serveOpenApiDocument } from "./openapi.ts";
import { createProblems, NotFound } from "./problems.ts";
import { createRateLimits } from "./rate-limits.ts";
import { auth } from "./routes/auth/auth.index.ts";
import { health } from "./routes/health/health.index.ts";
import { projects } from "./routes/projects/projects.index.ts";
import { createRouter } from "./routes/router.ts";
import { tasks } from "./routes/tasks/tasks.index.ts";
import { workspace } from "./routes/workspace/workspace.index.ts";
import { type AppEnv, appServices, type Services } from "./services.ts";
import { telemetry } from "./telemetry.ts";
import { createApiTenantResolver, tenants } from "./tenant.ts";

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

export function createApp(options: AppOptions): OpenAPIHono<AppEnv> {
  const { config, database } = options;
  const log = options.log ?? createLogger();
  const problems = createProblems(log);
  const limits = createRateLimits(options.rateLimitStore, { apiLimit: config.API_RATE_LIMIT, problems, log });
  const tokens = createAccessTokens(config.JWT_SECRET);
  const services: Services = {
    database,
    problems,
    log,
    // Argon2id with OWASP's costs on every runtime, so one users table serves them all.
    passwords: createPasswordHasher(),
    signer: tokens.signer,
    login: limits.login,
    ready: async () => {
      if (options.shuttingDown?.() === true) throw new Error("shutting down");
      await (await database()).ping();
      await options.pingStore?.();
    },
  };

  const app = createRouter();
  app.onError(problemOnError(problems));
  app.notFound((c) => problemResponse(c, problems, new NotFound()));
  app.use(appServices(services), telemetry(), requestLog(log));
  // Before the preset, so that its refusals on /api (413, 415, a cross-site 403) are private too.
  app.use("/api/*", privateResponses());
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
  app.route("/", health);

  // Unauthenticated routes that hash a password or look a token up: limited per client address too.
  app.use("/auth/signup", limits.signup);
  app.use("/auth/accept-invitation", limits.invitation);
  app.use("/auth/refresh", limits.refresh);
  app.use("/auth/logout", limits.logout);
  app.route("/", auth);

  // The tenant's API: a verified token, its tenant (a disagreeing X-Tenant-Id refused), the per-user limit.
  app.use(
    "/api/*",
    jwtAuth({ verifier: tokens.verifier, realm: "reference-service", problems }),
    tenant({
      context: tenants,
      resolve: createApiTenantResolver(database),
      claims: jwtClaims,
      problems,
    }),
    limits.api,
  );
  app.route("/api", workspace);
  app.route("/api", projects);
  app.route("/api", tasks);

  serveOpenApiDocument(app);
  return app;
}
