/**
 * @module
 * Sign-up, login, refresh, logout and accepting an invitation: the routes without an access token. Login
 * attempts are counted (5 a minute per address and per account) before the password is checked; passwords
 * are Argon2id; the refresh token lives in a `__Host-` HttpOnly cookie, rotates on use, and revokes its
 * family when an old one comes back. The cookie routes are covered by the preset's CSRF check.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { parseCookies, serializeCookie } from "@keel/http-security";
import { rateLimitResponse } from "@keel/http-security/hono";
import type { Context } from "hono";
import { TenantId, UserId } from "./ids.ts";
import { tokenHash } from "./opaque-token.ts";
import {
  EmailTaken,
  InvalidCredentials,
  InvitationRefused,
  SessionRefused,
  WorkspaceTaken,
} from "./problems.ts";
import { json, problem, problemResponses, router } from "./routing.ts";
import { AcceptInvitation, AccessToken, Login, SignedUp, SignUp } from "./schemas.ts";
import type { AppEnv, Services } from "./services.ts";
import {
  issueRefreshToken,
  REFRESH_LIFETIME_SEC,
  revokeRefreshToken,
  rotateRefreshToken,
} from "./sessions.ts";
import { loginCounter } from "./telemetry.ts";
import { findTenant, findTokenTenant, type Tenant, tenants } from "./tenant.ts";

export const REFRESH_COOKIE = "__Host-refresh";
/** Seconds an access token lives: short, since only the refresh token can be revoked. */
export const ACCESS_TOKEN_SEC = 300;

/** Runs `fn` inside `tenant`, carrying the request id into its log lines. */
const runInTenant = <R>(c: Context<AppEnv>, tenant: Tenant, fn: () => R): R =>
  tenants.run(tenant, fn, { requestId: c.var.requestId });

/** Documents the cookie; the handlers read it themselves. */
const refreshCookie = z.object({ [REFRESH_COOKIE]: z.string().optional() });

const signUpRoute = createRoute({
  method: "post",
  path: "/auth/signup",
  summary: "Create a workspace (tenant) and its first user, its owner",
  request: { body: { ...json(SignUp), required: true } },
  responses: {
    201: { description: "Created", ...json(SignedUp) },
    ...problemResponses(400, 409, 413, 415, 422, 429, 503),
  },
});
const loginRoute = createRoute({
  method: "post",
  path: "/auth/login",
  summary: "Log in: an access token, and the refresh token in the __Host-refresh cookie",
  request: { body: { ...json(Login), required: true } },
  responses: {
    200: { description: "Logged in", ...json(AccessToken) },
    ...problemResponses(400, 401, 413, 415, 422, 429, 503),
  },
});
const refreshRoute = createRoute({
  method: "post",
  path: "/auth/refresh",
  summary: "Exchange the refresh cookie for a new access token and a new refresh cookie",
  request: { cookies: refreshCookie },
  responses: {
    200: { description: "Refreshed", ...json(AccessToken) },
    ...problemResponses(401, 403, 429, 503),
  },
});
const logoutRoute = createRoute({
  method: "post",
  path: "/auth/logout",
  summary: "Revoke the refresh cookie's session",
  request: { cookies: refreshCookie },
  responses: { 204: { description: "Logged out" }, ...problemResponses(403, 429, 503) },
});
const acceptRoute = createRoute({
  method: "post",
  path: "/auth/accept-invitation",
  summary: "Accept an invitation: creates the invited user with their password",
  request: { body: { ...json(AcceptInvitation), required: true } },
  responses: {
    201: { description: "Created", ...json(z.object({ userId: z.string() })) },
    ...problemResponses(400, 409, 410, 413, 415, 422, 429, 503),
  },
});

/** Postgres' unique violation, as postgres.js and PGlite both report it. */
const isUniqueViolation = (error: unknown): boolean =>
  typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";

export function authRoutes(services: Services): OpenAPIHono<AppEnv> {
  const { database, problems, passwords, signer, login, log } = services;
  const logins = loginCounter();
  const clearCookie = serializeCookie(REFRESH_COOKIE, "", { maxAge: 0, sameSite: "Strict" });

  async function sessionResponse(
    c: Context<AppEnv>,
    tenant: Tenant,
    user: { id: UserId; role: string },
    refresh: string,
  ) {
    const accessToken = await signer.sign(
      { tid: tenant.id, role: user.role },
      { subject: user.id, expiresInSec: ACCESS_TOKEN_SEC },
    );
    c.header(
      "Set-Cookie",
      serializeCookie(REFRESH_COOKIE, refresh, { maxAge: REFRESH_LIFETIME_SEC, sameSite: "Strict" }),
    );
    c.header("Cache-Control", "no-store");
    return c.json({ accessToken, tokenType: "Bearer" as const, expiresIn: ACCESS_TOKEN_SEC }, 200);
  }

  return router(problems)
    .openapi(signUpRoute, async (c) => {
      const body = c.req.valid("json");
      const phc = await passwords.hash(body.password);
      if (phc.isErr()) return problem(c, problems, phc.error);
      const tenant: Tenant = { id: TenantId.generate(), slug: body.workspace, name: body.workspaceName };
      const userId = UserId.generate();
      try {
        // One transaction inside the new tenant: its directory entry and its owner, or neither.
        await runInTenant(c, tenant, async () =>
          (await database()).withTenant(async (query) => {
            await query("insert into tenants (id, slug, name) values ($1, $2, $3)", [
              tenant.id,
              tenant.slug,
              tenant.name,
            ]);
            await query("insert into users (id, email, password_hash, role) values ($1, $2, $3, 'owner')", [
              userId,
              body.email,
              phc.value,
            ]);
          }),
        );
      } catch (error) {
        if (isUniqueViolation(error)) return problem(c, problems, new WorkspaceTaken());
        throw error;
      }
      runInTenant(c, tenant, () => log.info("tenant created", { userId }));
      return c.json({ tenantId: tenant.id, userId }, 201);
    })
    .openapi(loginRoute, async (c) => {
      const body = c.req.valid("json");
      // Counted before the password is checked, per address and per account: the sixth in a minute is 429.
      const account = `${body.workspace}/${body.email}`;
      const attempt = await login.attempt({ account, ip: c.var.clientIp });
      if (attempt.isErr()) {
        logins.add(1, { outcome: "limited" });
        return rateLimitResponse(c, login, attempt.error, problems) as never; // a declared 429 or 503
      }
      const db = await database();
      const tenant = await findTenant(db, { slug: body.workspace });
      const user =
        tenant === undefined
          ? undefined
          : await runInTenant(c, tenant, () =>
              db.withTenant(async (query) => {
                const [row] = await query(
                  "select id, password_hash, role from users where lower(email) = lower($1)",
                  [body.email],
                );
                return row as { id: UserId; password_hash: string; role: string } | undefined;
              }),
            );
      // An unknown workspace or email costs the same time as a wrong password (a dummy hash is verified).
      const matches = await passwords.verifyUser(user?.password_hash, body.password);
      if (matches.isErr() || !matches.value || tenant === undefined || user === undefined) {
        logins.add(1, { outcome: "failed" });
        return problem(c, problems, new InvalidCredentials());
      }
      await login.recordSuccess({ account });
      logins.add(1, { outcome: "succeeded" });
      return runInTenant(c, tenant, async () => {
        const refresh = await db.withTenant(async (query) => {
          if (passwords.needsRehash(user.password_hash)) {
            const rehashed = await passwords.hash(body.password);
            if (rehashed.isOk())
              await query("update users set password_hash = $1 where id = $2", [rehashed.value, user.id]);
          }
          return issueRefreshToken(query, tenant.id, user.id);
        });
        log.info("logged in", { userId: user.id });
        return sessionResponse(c, tenant, user, refresh);
      });
    })
    .openapi(refreshRoute, async (c) => {
      const presented = parseCookies(c.req.raw).get(REFRESH_COOKIE);
      const db = await database();
      const tenant = await findTokenTenant(db, presented);
      if (presented === undefined || tenant === undefined) {
        c.header("Set-Cookie", clearCookie);
        return problem(c, problems, new SessionRefused());
      }
      return runInTenant(c, tenant, async () => {
        const rotation = await db.withTenant((query) => rotateRefreshToken(query, tenant.id, presented));
        if (rotation.kind !== "rotated") {
          if (rotation.kind === "reused") log.warn("refresh token reused: session family revoked");
          c.header("Set-Cookie", clearCookie);
          return problem(c, problems, new SessionRefused());
        }
        return sessionResponse(c, tenant, { id: rotation.userId, role: rotation.role }, rotation.token);
      });
    })
    .openapi(logoutRoute, async (c) => {
      const presented = parseCookies(c.req.raw).get(REFRESH_COOKIE);
      const db = await database();
      const tenant = await findTokenTenant(db, presented);
      if (presented !== undefined && tenant !== undefined) {
        await runInTenant(c, tenant, () => db.withTenant((query) => revokeRefreshToken(query, presented)));
      }
      c.header("Set-Cookie", clearCookie);
      return c.body(null, 204);
    })
    .openapi(acceptRoute, async (c) => {
      const body = c.req.valid("json");
      const db = await database();
      const tenant = await findTokenTenant(db, body.token);
      if (tenant === undefined) return problem(c, problems, new InvitationRefused());
      const phc = await passwords.hash(body.password);
      if (phc.isErr()) return problem(c, problems, phc.error);
      const hash = await tokenHash(body.token);
      try {
        const userId = await runInTenant(c, tenant, () =>
          db.withTenant(async (query) => {
            const [invitation] = await query(
              `update invitations set accepted_at = now()
                where token_hash = $1 and accepted_at is null and expires_at > now()
                returning email, role`,
              [hash],
            );
            if (invitation === undefined) return undefined;
            const id = UserId.generate();
            await query("insert into users (id, email, password_hash, role) values ($1, $2, $3, $4)", [
              id,
              invitation.email,
              phc.value,
              invitation.role,
            ]);
            return id;
          }),
        );
        if (userId === undefined) return problem(c, problems, new InvitationRefused());
        return c.json({ userId }, 201);
      } catch (error) {
        if (isUniqueViolation(error)) return problem(c, problems, new EmailTaken());
        throw error;
      }
    });
}
