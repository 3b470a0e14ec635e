/**
 * @module
 * Every variable the service reads, in one `@keel/secure-config` spec, validated at once at start-up (on
 * Workers: once per `env` binding). A bad environment is one `ConfigError` naming every bad key, never a
 * value. Secrets and credential-bearing URLs are `Secret`s: they print as `[redacted]` and come out only
 * through `.reveal()` where they are used. With `NODE_ENV=production` a weak or default `JWT_SECRET` is
 * refused, and so is a start without `DATABASE_URL` or `REDIS_URL` (PGlite and memory counts are for
 * development: they die with the process).
 */
import { createClientIp, createCors } from "@keel/http-security";
import { err, ok, type Result } from "@keel/result";
import { type Config, field, int, port, secret, secretUrl, string } from "@keel/secure-config";
import { SCHEMA_NAME } from "./migrations.ts";

/** A comma-separated list, each item checked by `check` (which throws on a bad one). */
function checkedList(check: (items: string[]) => unknown, reason: string) {
  return (raw: string): Result<readonly string[], string> => {
    const items = raw
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== "");
    try {
      check(items);
      return ok(Object.freeze(items));
    } catch {
      // The package's own set-up check, so the config refuses exactly what the app would; never quoted.
      return err(reason);
    }
  };
}

export const spec = {
  PORT: port({ default: 3000 }),
  /** The address Node, Bun and Deno listen on (0.0.0.0 in a container). */
  HOST: string({ default: "127.0.0.1" }),
  /** An admin URL: runs the migrations. Unset outside production: PGlite in process (Node, Bun, Deno). */
  DATABASE_URL: secretUrl({ protocols: ["postgres:", "postgresql:"], requiredIn: ["production"] }),
  /** The app role's URL; by default DATABASE_URL with the user keel_reference_app (trust or peer auth). */
  APP_DATABASE_URL: secretUrl({ protocols: ["postgres:", "postgresql:"], optional: true }),
  /** The schema of the tables on PostgreSQL (PGlite uses `public`). */
  DB_SCHEMA: field((raw) => (SCHEMA_NAME.test(raw) ? ok(raw) : err("expected a lower-case SQL identifier")), {
    default: "reference",
  }),
  /**
   * Connections of the app role's pool (PostgreSQL). A tenant transaction holds one until its `COMMIT` is
   * answered, so with a database a round trip away, fewer connections than requests served at once queue them.
   */
  DB_POOL_SIZE: int({ default: 10, min: 1, max: 1000 }),
  /** Rate-limit counts shared by every process. Unset outside production: counted in memory. */
  REDIS_URL: secretUrl({ protocols: ["redis:", "rediss:"], requiredIn: ["production"] }),
  RATE_LIMIT_PREFIX: string({ default: "keel:reference:" }),
  /** The HMAC key of the access tokens: 32 characters at least, strong in production. */
  JWT_SECRET: secret({ minLength: 32 }),
  /** The browser apps allowed to call the API with their cookie (CORS and CSRF). */
  CORS_ORIGINS: field(
    checkedList(
      (origin) => createCors({ origin }),
      "expected comma-separated origins such as https://app.example.com (lower case, no path)",
    ),
    { default: "http://localhost:5173" },
  ),
  /** CIDRs of the reverse proxies whose X-Forwarded-For is believed; none by default. */
  TRUSTED_PROXIES: field(
    checkedList(
      (trustedProxies) => createClientIp({ trustedProxies }),
      "expected comma-separated addresses or CIDRs such as 10.0.0.0/8",
    ),
    { default: "", allowEmpty: true },
  ),
  /** API requests a minute per tenant and user. */
  API_RATE_LIMIT: int({ default: 600, min: 1, max: 1_000_000_000 }),
  /**
   * On SIGTERM, how long `/readyz` answers 503 while requests are still served, before the listener closes:
   * set it to the load balancer's probe interval so that it stops sending first.
   */
  SHUTDOWN_DELAY_MS: int({ default: 0, min: 0, max: 60_000 }),
};

/** The loaded config: all read-only, secrets as `Secret`. */
export type AppConfig = Config<typeof spec>;
