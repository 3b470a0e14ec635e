/**
 * @module
 * Start-up on Node, Bun and Deno: validate the environment, open the database (PostgreSQL with
 * `DATABASE_URL`, else PGlite in process) and the rate-limit store (Redis with `REDIS_URL`, else memory),
 * build the app, and hand back what shutdown must close. Outside production a missing `JWT_SECRET` is
 * generated, and the console says so; in production it must be set, and strong.
 */

import process from "node:process";
import { createMemoryStore, type RateLimitStore } from "@keel/http-security/rate-limit";
import { createRedisStore, ioredisClient } from "@keel/http-security/rate-limit/redis";
import { type EnvRecord, loadConfigOrThrow } from "@keel/secure-config";
import type { Context } from "hono";
import { Redis } from "ioredis";
import { createApp } from "./app.ts";
import { type AppConfig, spec } from "./config.ts";
import { type Database, openPostgres, type PostgresSettings } from "./database.ts";
import { createLogger, type Logger } from "./logger.ts";
import { openPglite } from "./pglite-database.ts";
import { tenants } from "./tenant.ts";

/** A started service: its app, and `close()` to run once the server stopped taking requests. */
export interface Service {
  readonly app: ReturnType<typeof createApp>;
  readonly config: AppConfig;
  readonly log: Logger;
  /** Says where the data and the counts live, for the start-up banner. */
  readonly backends: string;
  /** From now on `/readyz` answers 503. */
  markNotReady(): void;
  /** Closes the database pool and the Redis connection. */
  close(): Promise<void>;
}

/** PostgreSQL's URLs, schema and pool size from the config; `undefined` without `DATABASE_URL` (PGlite). */
export function postgresSettings(config: AppConfig): PostgresSettings | undefined {
  return config.DATABASE_URL === undefined
    ? undefined
    : {
        adminUrl: config.DATABASE_URL.reveal(),
        appUrl: config.APP_DATABASE_URL?.reveal(),
        schema: config.DB_SCHEMA,
        poolSize: config.DB_POOL_SIZE,
      };
}

/** Outside production, a random `JWT_SECRET` when none is set (tokens then die with the process). */
export function withDevelopmentSecrets(env: EnvRecord, log: Logger): EnvRecord {
  const production = (env.NODE_ENV ?? "development") === "production";
  if (production || (env.JWT_SECRET !== undefined && env.JWT_SECRET !== "")) return env;
  const generated = Array.from(crypto.getRandomValues(new Uint8Array(32)), (byte) =>
    byte.toString(16).padStart(2, "0"),
  ).join("");
  log.warn("development: JWT_SECRET is not set, so a random one was generated for this process");
  return { ...env, JWT_SECRET: generated };
}

/**
 * Starts the service, or logs why it cannot (one redacted JSON line: a `ConfigError` names every bad key,
 * never a value) and exits 1, so that a bad deploy fails before it serves.
 */
export async function startService(
  env: EnvRecord,
  options: { readonly remoteAddress: (c: Context) => string | undefined },
): Promise<Service> {
  const log = createLogger();
  try {
    return await start(env, options, log);
  } catch (error) {
    log.error("start-up failed", { error });
    process.exit(1);
  }
}

async function start(
  env: EnvRecord,
  options: { readonly remoteAddress: (c: Context) => string | undefined },
  log: Logger,
): Promise<Service> {
  const config = loadConfigOrThrow(spec, { source: withDevelopmentSecrets(env, log) });

  const postgres = postgresSettings(config);
  const database: Database =
    postgres === undefined ? await openPglite(tenants) : await openPostgres(tenants, postgres);

  let redis: Redis | undefined;
  let store: RateLimitStore;
  if (config.REDIS_URL === undefined) {
    store = createMemoryStore();
  } else {
    // Fail fast while Redis is down (the limiters then answer 503) instead of queueing commands.
    redis = new Redis(config.REDIS_URL.reveal().href, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
    });
    redis.on("error", () => {}); // each failed decision is logged by the limiters' onStoreError
    await redis.connect();
    store = createRedisStore({ client: ioredisClient(redis), prefix: config.RATE_LIMIT_PREFIX });
  }

  let shuttingDown = false;
  const connected = redis;
  const app = createApp({
    config,
    database: async () => database,
    rateLimitStore: store,
    ...(connected === undefined ? {} : { pingStore: async () => void (await connected.ping()) }),
    remoteAddress: options.remoteAddress,
    shuttingDown: () => shuttingDown,
    log,
  });
  return {
    app,
    config,
    log,
    backends: `${config.DATABASE_URL === undefined ? "PGlite in process" : "PostgreSQL"}, rate limits in ${
      redis === undefined ? "memory" : "Redis"
    }`,
    markNotReady() {
      shuttingDown = true;
    },
    async close() {
      await database.close();
      await redis?.quit();
    },
  };
}

/** The start-up lines: where it listens, and a first request to try. */
export function banner(service: Service, url: string): string {
  const signup = JSON.stringify({
    workspace: "acme",
    workspaceName: "Acme",
    email: "ada@example.com",
    password: "correct horse battery staple",
  });
  return [
    `reference-service listening on ${url} (${service.backends})`,
    `OpenAPI document: ${url}/openapi.json`,
    `try: curl -s -X POST ${url}/auth/signup -H 'content-type: application/json' -d '${signup}'`,
  ].join("\n");
}
