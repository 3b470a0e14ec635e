/**
 * Cloudflare Workers / workerd entry: PostgreSQL over Workers' TCP sockets (postgres.js, with the
 * `nodejs_compat` flag), one connection per transaction (a Worker may not share a socket across requests);
 * rate limits counted by a Durable Object (exact counts shared by every isolate, so no `REDIS_URL`); the
 * client address from Cloudflare's `CF-Connecting-IP`. The config is
 * validated once per `env`; Workers have no NODE_ENV, so the production rules apply unless `ENVIRONMENT`
 * is `development` or `test`.
 */
import { createDurableObjectStore, type RateLimiterNamespace } from "@keel/http-security/rate-limit/workers";
import { createConfigLoader, type EnvRecord } from "@keel/secure-config";
import type { ExecutionContext } from "hono";
import { createApp } from "./app.ts";
import { type AppConfig, spec } from "./config.ts";
import { type Database, openPostgres } from "./database.ts";
import { createLogger } from "./logger.ts";
import { createProblems } from "./problems.ts";
import { tenants } from "./tenant.ts";

// The Durable Object class the RATE_LIMITER binding names (wrangler.toml: [[durable_objects.bindings]]).
export { RateLimiterObject } from "@keel/http-security/rate-limit/workers";

type Env = EnvRecord & { readonly RATE_LIMITER: RateLimiterNamespace };

const log = createLogger();
// For a bad configuration, before there is an app: a generic 500 problem, the reason in the log.
const problems = createProblems(log);
// Rate limits live in the Durable Object here: the spec without REDIS_URL (required in production elsewhere).
const { REDIS_URL: _redis, ...workerSpec } = spec;
let app: ReturnType<typeof createApp> | undefined;
// Kept once opened. Not a shared promise: a Worker may not settle, in one request, a promise made by
// another, so each first request awaits its own (the migration is idempotent and locked).
let database: Database | undefined;

export default {
  fetch(request: Request, env: Env, context: ExecutionContext): Response | Promise<Response> {
    if (app === undefined) {
      // Only a named development or test environment relaxes the production rules (a typo does not).
      const environment =
        env.ENVIRONMENT === "development" || env.ENVIRONMENT === "test" ? env.ENVIRONMENT : "production";
      const loaded = createConfigLoader(workerSpec, { environment })(env);
      const adminUrl = loaded.isOk() ? loaded.value.DATABASE_URL?.reveal() : undefined;
      if (loaded.isErr() || adminUrl === undefined) {
        const why = loaded.isErr()
          ? loaded.error
          : new Error("DATABASE_URL is required on Workers: PGlite cannot run there");
        return problems.toResponseUnchecked(why);
      }
      const config: AppConfig = { ...loaded.value, REDIS_URL: undefined };
      app = createApp({
        config,
        database: async () =>
          (database ??= await openPostgres(tenants, {
            adminUrl,
            appUrl: config.APP_DATABASE_URL?.reveal(),
            schema: config.DB_SCHEMA,
            perRequest: true,
          })),
        rateLimitStore: createDurableObjectStore(env.RATE_LIMITER),
        trustCloudflare: true,
        log,
      });
    }
    return app.fetch(request, env, context);
  },
};
