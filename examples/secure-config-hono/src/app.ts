/**
 * @module
 * A small login API showing `@keel/secure-config` on Hono:
 *
 * - the whole configuration is one spec, validated at once: a bad environment is one `ConfigError` naming
 *   every bad key with a reason, and never a value;
 * - `JWT_SECRET` and `API_KEY` are `Secret`s: they print as `[redacted]` (logs, JSON, template literals) and
 *   come out only through `.reveal()`, at the two places that use them;
 * - every request is logged as one JSON line through `redact`, so passwords, tokens and `Authorization`
 *   headers never reach the log.
 *
 * This file is runtime-neutral: it exports the spec and `createApp`. `node.ts`, `bun.ts` and `deno.ts` load
 * the config from the process environment before serving; `worker.ts` validates each Workers `env` binding.
 */
import {
  createProblemMapper,
  err,
  fromSchema,
  ok,
  type Result,
  TaggedError,
  type UnexpectedReport,
} from "@keel/result";
import { problemOnError, resultHandler } from "@keel/result/hono";
import {
  type Config,
  type ConfigError,
  type EnvRecord,
  oneOf,
  port,
  redact,
  type Secret,
  secret,
  secretUrl,
} from "@keel/secure-config";
import { type Context, Hono } from "hono";
import { z } from "zod";

/** Every variable the app reads, in one place. `.dev.vars.example` lists the same names. */
export const spec = {
  // Node, Bun and Deno listen on it. A Worker has no port of its own: it keeps the default.
  PORT: port({ default: 3000 }),
  // It carries the database password, so it is a Secret<URL>: it prints as [redacted] (JSON.stringify(config)
  // included); config.DATABASE_URL.reveal() gives the URL where you connect. (url() refuses credentials.)
  DATABASE_URL: secretUrl({ protocols: ["postgres:", "postgresql:"] }),
  // Secret fields: the value is a Secret, never a string. With NODE_ENV=production they must also be strong
  // (16+ characters, enough entropy, not "changeme") and differ from each other.
  JWT_SECRET: secret(),
  API_KEY: secret(),
  LOG_LEVEL: oneOf(["debug", "info", "warn", "error"], { default: "info" }),
};

/** The loaded config: `PORT: number`, `DATABASE_URL: URL`, `JWT_SECRET: Secret`, ... all read-only. */
export type AppConfig = Config<typeof spec>;

/** The client's `Authorization` header is not `Bearer <API_KEY>`. */
class Unauthorized extends TaggedError("Unauthorized") {}

const Login = z.object({ user: z.string().min(1), password: z.string().min(1) });
const parseLogin = fromSchema(Login);

/** One JSON line per unexpected error (a bad Workers binding is one): the client only sees the id. */
function logUnexpected({ error, correlationId }: UnexpectedReport): void {
  console.error(
    JSON.stringify({ level: "error", msg: "unexpected error", correlationId, error: describe(error) }),
  );
}

// Name, message and stack: a ConfigError's message already lists every bad key and its reason, never a value.
function describe(error: unknown): unknown {
  if (!(error instanceof Error)) return String(error);
  return { name: error.name, message: error.message, stack: error.stack };
}

const problems = createProblemMapper({
  typeBase: "https://example.com/problems/",
  statuses: {
    Unauthorized: 401,
    // Only `issues` becomes a member: the rejected input (a password, perhaps) is never echoed back.
    ValidationError: { status: 422, expose: ["issues"] },
  },
  onUnexpected: logUnexpected,
});

// Constant time for equal lengths: `===` stops at the first wrong character, which leaks the key by timing.
function sameText(given: string, expected: string): boolean {
  if (given.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < given.length; i++) difference |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return difference === 0;
}

function authorize(header: string | undefined, apiKey: Secret): Result<void, Unauthorized> {
  return sameText(header ?? "", `Bearer ${apiKey.reveal()}`)
    ? ok(undefined)
    : err(new Unauthorized({ message: "Send Authorization: Bearer <API key>" }));
}

/**
 * The hex HMAC-SHA256 of the user name under JWT_SECRET: a stand-in for a real token (hono/jwt's `sign()`
 * takes the same revealed secret). Web Crypto, so it runs unchanged on every runtime.
 */
async function issueToken(user: string, jwtSecret: Secret): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(jwtSecret.reveal()),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(user));
  return Array.from(new Uint8Array(mac), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

type AppEnv = { Bindings: EnvRecord; Variables: { config: AppConfig } };

/**
 * The app, given how to load the config from Hono's `c.env`: on Node, Bun and Deno a function returning the
 * config loaded at start-up (it ignores `c.env`); on Workers `createConfigLoader(spec)`, which validates the
 * Worker's `env` binding the first time it sees it and returns the same `Result` after that.
 */
export function createApp(loadFor: (env: EnvRecord) => Result<AppConfig, ConfigError>): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // One JSON line per request, through redact(): values under sensitive keys (authorization, cookie,
  // password, token, ...) and any Secret become "[redacted]" in a copy; the request itself is untouched.
  app.use(async (c, next) => {
    // Hono caches the body text, so the handler can read it again.
    const body: unknown = c.req.header("content-type")?.startsWith("application/json")
      ? await c.req.json().catch(() => undefined)
      : undefined;
    // The Headers object itself: redact() keeps its entries and hides the sensitive ones.
    const entry = { method: c.req.method, path: c.req.path, headers: c.req.raw.headers, body };
    console.log(JSON.stringify(redact(entry)));
    await next();
  });

  // On Workers a bad binding is an Err here, for every request: thrown, app.onError answers a generic 500
  // and logs the ConfigError (keys and reasons, never values).
  app.use(async (c, next) => {
    const loaded = loadFor(c.env);
    if (loaded.isErr()) throw loaded.error;
    c.set("config", loaded.value);
    await next();
  });

  app.get("/health", (c) => c.json({ ok: true }));

  // The non-secret settings, and what printing a secret gives: String(secret) is "[redacted]".
  app.get("/config", (c) => {
    const { config } = c.var;
    return c.json({
      port: config.PORT,
      // Only the host: the URL carries the database password (String(config.DATABASE_URL) is "[redacted]").
      databaseHost: config.DATABASE_URL.reveal().hostname,
      logLevel: config.LOG_LEVEL,
      jwtSecret: String(config.JWT_SECRET),
    });
  });

  // A real app checks the password against a stored hash here; the demo takes any non-empty one. The
  // handler's context is annotated because resultHandler cannot infer the app's Variables from app.post.
  app.post(
    "/login",
    resultHandler(problems, async (c: Context<AppEnv>) => {
      const { config } = c.var;
      const body: unknown = await c.req.json().catch(() => undefined);
      return authorize(c.req.header("authorization"), config.API_KEY)
        .andThen(() => parseLogin(body))
        .asyncMap(async ({ user }) => ({ token: await issueToken(user, config.JWT_SECRET) }));
    }),
  );

  // Thrown errors (a bad Workers binding included) become a generic 500 carrying only a correlation id.
  app.onError(problemOnError(problems));

  return app;
}
