/**
 * Sign-up and login with hashed passwords, short JWT access tokens, rotated refresh tokens in a `__Host-`
 * cookie, and a rate-limited login, on `@keel/http-security`. The runtime entries choose the rate-limit
 * store (Redis, memory or a Durable Object) and how to read the peer address; everything else is here.
 */

import { httpSecurityProblemStatuses, parseCookies, serializeCookie } from "@keel/http-security";
import {
  type ClientIpEnv,
  clientIp,
  jsonApiSecurity,
  jwtAuth,
  rateLimitResponse,
  type SecurityPresetEnv,
} from "@keel/http-security/hono";
import { createJwtSigner, createJwtVerifier } from "@keel/http-security/jwt";
import { createPasswordHasher } from "@keel/http-security/password";
import { createLoginLimiter, type RateLimitStore } from "@keel/http-security/rate-limit";
import { createProblemMapper, TaggedError, type TaggedErrorClass } from "@keel/result";
import { problemOnError, problemResponse } from "@keel/result/hono";
import { type Context, Hono } from "hono";
import * as z from "zod";
import { RefreshTokens } from "./refresh-tokens.ts";

/** The browser app allowed to call this API with its cookie. */
export const APP_ORIGIN = "https://app.example.com";
const ISSUER = "https://auth.example.com";
const AUDIENCE = "notes-api";
const REFRESH_COOKIE = "__Host-refresh";

/** What a runtime entry hands the app. */
export interface AuthAppOptions {
  /** The HMAC key of the access tokens: at least 32 bytes (a `Secret` from `@keel/secure-config` works too). */
  readonly jwtSecret: string;
  /** Where login attempts are counted: Redis, memory, or a Durable Object. */
  readonly loginStore: RateLimitStore;
  /** The TCP peer's address (`getConnInfo(c).remote.address`); `undefined` on Workers. */
  readonly remoteAddress?: (c: Context) => string | undefined;
  /** Proxies in front of the app (CIDRs) whose `X-Forwarded-For` is believed; none by default. */
  readonly trustedProxies?: readonly string[];
  /** On Workers: the client address is Cloudflare's `CF-Connecting-IP`. */
  readonly trustCloudflare?: boolean;
  /** Logs a rate-limit store failure (the login fails closed: 503 while the store is down). */
  readonly onStoreError?: (error: unknown) => void;
}

const InvalidCredentialsBase: TaggedErrorClass<"InvalidCredentials"> = TaggedError("InvalidCredentials");
/** One answer for an unknown account and a wrong password, so neither is told apart. */
class InvalidCredentials extends InvalidCredentialsBase {
  constructor() {
    super({ message: "Wrong email or password" });
  }
}
const EmailTakenBase: TaggedErrorClass<"EmailTaken"> = TaggedError("EmailTaken");
class EmailTaken extends EmailTakenBase {
  constructor() {
    super({ message: "An account with this email exists" });
  }
}
const InvalidBodyBase: TaggedErrorClass<"InvalidBody"> = TaggedError("InvalidBody");
class InvalidBody extends InvalidBodyBase {
  constructor() {
    super({ message: 'Send {"email": an email address, "password": 8 to 1024 bytes}' });
  }
}
const RefreshRefusedBase: TaggedErrorClass<"RefreshRefused"> = TaggedError("RefreshRefused");
/** A missing, unknown, expired, revoked or reused refresh token: log in again. */
class RefreshRefused extends RefreshRefusedBase {
  constructor() {
    super({ message: "Log in again" });
  }
}

const Credentials = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  password: z.string().min(8).max(1024),
});

const AccessClaims = z.object({ sub: z.string(), email: z.string() });

interface User {
  readonly id: string;
  readonly email: string;
  phc: string;
}

/** The app's Hono environment: the presets' ids and nonce, the client address, the verified claims. */
type Env = SecurityPresetEnv & ClientIpEnv & { Variables: { claims: z.infer<typeof AccessClaims> } };

export function createApp(options: AuthAppOptions): Hono<Env> {
  const problems = createProblemMapper({
    statuses: {
      ...httpSecurityProblemStatuses,
      InvalidCredentials: 401,
      EmailTaken: 409,
      InvalidBody: 422,
      RefreshRefused: 401,
    },
    typeBase: "https://example.com/problems/",
    onUnexpected: ({ error, correlationId }) =>
      console.error(JSON.stringify({ level: "error", correlationId, error: String(error) })),
  });
  // Argon2id with OWASP's costs on every runtime (native on Node >= 24.7 and Bun, @noble/hashes elsewhere),
  // so one users table serves them all.
  const passwords = createPasswordHasher();
  const signer = createJwtSigner({
    algorithm: "HS256",
    key: options.jwtSecret,
    issuer: ISSUER,
    audience: AUDIENCE,
  });
  const verifier = createJwtVerifier({
    algorithms: ["HS256"],
    key: options.jwtSecret,
    issuer: ISSUER,
    audience: AUDIENCE,
    claims: AccessClaims,
  });
  const login = createLoginLimiter({
    store: options.loginStore,
    ...(options.onStoreError === undefined ? {} : { onStoreError: options.onStoreError }),
  });
  // In memory: a demo, not a store.
  const users = new Map<string, User>(); // by email
  const usersById = new Map<string, User>();
  const refreshTokens = new RefreshTokens();

  const refreshCookie = (token: string): string =>
    serializeCookie(REFRESH_COOKIE, token, { maxAge: refreshTokens.maxAgeSec, sameSite: "Strict" });
  const clearRefreshCookie = serializeCookie(REFRESH_COOKIE, "", { maxAge: 0, sameSite: "Strict" });

  async function credentials(c: Context): Promise<z.infer<typeof Credentials> | undefined> {
    const parsed = Credentials.safeParse(await c.req.json().catch(() => undefined));
    return parsed.success ? parsed.data : undefined;
  }

  async function tokens(c: Context, user: User, refreshToken: string): Promise<Response> {
    const accessToken = await signer.sign({ email: user.email }, { subject: user.id });
    c.header("Set-Cookie", refreshCookie(refreshToken));
    c.header("Cache-Control", "no-store");
    return c.json({ accessToken, tokenType: "Bearer", expiresIn: 900 });
  }

  const app = new Hono<Env>();
  app.onError(problemOnError(problems));
  // clientIp() first: the presets' body limit hands later middleware a new Request, and Bun's getConnInfo
  // only knows the original one.
  app.use(
    clientIp({
      ...(options.remoteAddress === undefined ? {} : { remoteAddress: options.remoteAddress }),
      trustedProxies: options.trustedProxies ?? [],
      trustCloudflare: options.trustCloudflare === true,
    }),
  );
  app.use(jsonApiSecurity({ origin: [APP_ORIGIN], cors: { credentials: true }, problems }));

  app.post("/signup", async (c) => {
    const body = await credentials(c);
    if (body === undefined) return problemResponse(c, problems, new InvalidBody());
    if (users.has(body.email)) return problemResponse(c, problems, new EmailTaken());
    const phc = await passwords.hash(body.password);
    if (phc.isErr()) return problemResponse(c, problems, phc.error);
    const user = { id: crypto.randomUUID(), email: body.email, phc: phc.value };
    users.set(user.email, user);
    usersById.set(user.id, user);
    return c.json({ id: user.id, email: user.email }, 201);
  });

  app.post("/login", async (c) => {
    const body = await credentials(c);
    if (body === undefined) return problemResponse(c, problems, new InvalidBody());
    // Counted before the password is checked, per address and per account from it (5 a minute), per account
    // from everywhere (100); 429 when over.
    const attempt = await login.attempt({ account: body.email, ip: c.var.clientIp });
    if (attempt.isErr()) return rateLimitResponse(c, login, attempt.error, problems);
    const user = users.get(body.email);
    // An unknown account costs the same time as a wrong password (a dummy hash is verified).
    const matches = await passwords.verifyUser(user?.phc, body.password);
    if (matches.isErr() || !matches.value || user === undefined) {
      return problemResponse(c, problems, new InvalidCredentials());
    }
    await login.recordSuccess({ account: body.email, ip: c.var.clientIp });
    if (passwords.needsRehash(user.phc)) {
      const rehashed = await passwords.hash(body.password);
      if (rehashed.isOk()) user.phc = rehashed.value;
    }
    return tokens(c, user, await refreshTokens.issue(user.id));
  });

  app.post("/refresh", async (c) => {
    const presented = parseCookies(c.req.raw).get(REFRESH_COOKIE);
    const outcome = presented === undefined ? undefined : await refreshTokens.rotate(presented);
    if (outcome?.kind !== "rotated") {
      c.header("Set-Cookie", clearRefreshCookie);
      return problemResponse(c, problems, new RefreshRefused());
    }
    const user = usersById.get(outcome.userId);
    if (user === undefined) return problemResponse(c, problems, new RefreshRefused());
    return tokens(c, user, outcome.token);
  });

  app.post("/logout", async (c) => {
    const presented = parseCookies(c.req.raw).get(REFRESH_COOKIE);
    if (presented !== undefined) await refreshTokens.revoke(presented);
    c.header("Set-Cookie", clearRefreshCookie);
    return c.body(null, 204);
  });

  app.get("/me", jwtAuth({ verifier, realm: "notes-api", problems }), (c) =>
    c.json({ id: c.var.claims.sub, email: c.var.claims.email }),
  );

  return app;
}
