/**
 * @module
 * Sign-up, login, refresh, logout and accepting an invitation: the handlers without an access token. Login
 * attempts are counted (5 a minute per address and per account from one address, 100 per account in all) before the password is checked; passwords
 * are Argon2id; the refresh token lives in a `__Host-` HttpOnly cookie, rotates on use, and revokes its
 * family when an old one comes back. The cookie routes are covered by the preset's CSRF check.
 */
import { parseCookies, serializeCookie } from "@keel/http-security";
import { rateLimitResponse } from "@keel/http-security/hono";
import { RateLimited } from "@keel/http-security/rate-limit";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { ACCESS_TOKEN_SEC } from "../../access-tokens.ts";
import { TenantId, UserId } from "../../ids.ts";
import { tokenHash } from "../../opaque-token.ts";
import {
  EmailTaken,
  InvalidCredentials,
  InvitationRefused,
  SessionRefused,
  WorkspaceTaken,
} from "../../problems.ts";
import type { AppEnv } from "../../services.ts";
import { countLogin } from "../../telemetry.ts";
import { findTenant, findTokenTenant, type Tenant, tenants } from "../../tenant.ts";
import type { AppRouteHandler } from "../router.ts";
import {
  findUserByEmail,
  insertWorkspace,
  isUniqueViolation,
  redeemInvitation,
  updatePasswordHash,
} from "./auth.queries.ts";
import type * as routes from "./auth.routes.ts";
import { REFRESH_COOKIE } from "./auth.routes.ts";
import {
  issueRefreshToken,
  REFRESH_LIFETIME_SEC,
  revokeRefreshToken,
  rotateRefreshToken,
} from "./sessions.ts";

const clearCookie = serializeCookie(REFRESH_COOKIE, "", { maxAge: 0, sameSite: "Strict" });

/** Runs `fn` inside `tenant`, carrying the request id into its log lines. */
const runInTenant = <R>(c: Context<AppEnv>, tenant: Tenant, fn: () => R): R =>
  tenants.run(tenant, fn, { requestId: c.var.requestId });

/** The answer of a login or a refresh: a new access token, and the refresh token in its cookie. */
async function sessionResponse(
  c: Context<AppEnv>,
  tenant: Tenant,
  user: { readonly id: UserId; readonly role: string },
  refresh: string,
) {
  const accessToken = await c.var.services.signer.sign(
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

export const signUp: AppRouteHandler<typeof routes.signUp> = async (c) => {
  const { database, passwords, log } = c.var.services;
  const body = c.req.valid("json");
  const passwordHash = await passwords.hash(body.password);
  if (passwordHash.isErr()) throw passwordHash.error;
  const tenant: Tenant = { id: TenantId.generate(), slug: body.workspace, name: body.workspaceName };
  const userId = UserId.generate();
  try {
    // One transaction inside the new tenant: its directory entry and its owner, or neither.
    await runInTenant(c, tenant, async () =>
      (await database()).withTenant((query) =>
        insertWorkspace(query, tenant, { id: userId, email: body.email, passwordHash: passwordHash.value }),
      ),
    );
  } catch (error) {
    throw isUniqueViolation(error) ? new WorkspaceTaken() : error;
  }
  runInTenant(c, tenant, () => log.info("tenant created", { userId }));
  return c.json({ tenantId: tenant.id, userId }, 201);
};

export const login: AppRouteHandler<typeof routes.login> = async (c) => {
  const { database, passwords, login: limiter, problems, log } = c.var.services;
  const body = c.req.valid("json");
  // Counted before the password is checked: the sixth in a minute from one address (or for one account from
  // one address) is 429; failures from other addresses lock the account only past 100 a minute in all.
  const account = `${body.workspace}/${body.email}`;
  const attempt = await limiter.attempt({ account, ip: c.var.clientIp });
  if (attempt.isErr()) {
    countLogin("limited");
    // The limiter's answer (429 with Retry-After, or 503), with its RateLimit headers.
    const res = rateLimitResponse(c, limiter, attempt.error, problems);
    throw new HTTPException(attempt.error instanceof RateLimited ? 429 : 503, { res });
  }
  const db = await database();
  const tenant = await findTenant(db, { slug: body.workspace });
  const user =
    tenant === undefined
      ? undefined
      : await runInTenant(c, tenant, () => db.withTenant((query) => findUserByEmail(query, body.email)));
  // An unknown workspace or email costs the same time as a wrong password (a dummy hash is verified).
  const matches = await passwords.verifyUser(user?.passwordHash, body.password);
  if (matches.isErr() || !matches.value || tenant === undefined || user === undefined) {
    countLogin("failed");
    throw new InvalidCredentials();
  }
  await limiter.recordSuccess({ account, ip: c.var.clientIp });
  countLogin("succeeded");
  return runInTenant(c, tenant, async () => {
    const refresh = await db.withTenant(async (query) => {
      if (passwords.needsRehash(user.passwordHash)) {
        const rehashed = await passwords.hash(body.password);
        if (rehashed.isOk()) await updatePasswordHash(query, user.id, rehashed.value);
      }
      return issueRefreshToken(query, tenant.id, user.id);
    });
    log.info("logged in", { userId: user.id });
    return sessionResponse(c, tenant, user, refresh);
  });
};

export const refresh: AppRouteHandler<typeof routes.refresh> = async (c) => {
  const { database, log } = c.var.services;
  const presented = parseCookies(c.req.raw).get(REFRESH_COOKIE);
  const db = await database();
  const tenant = await findTokenTenant(db, presented);
  if (presented === undefined || tenant === undefined) {
    c.header("Set-Cookie", clearCookie);
    throw new SessionRefused();
  }
  return runInTenant(c, tenant, async () => {
    const rotation = await db.withTenant((query) => rotateRefreshToken(query, tenant.id, presented));
    if (rotation.kind !== "rotated") {
      if (rotation.kind === "reused") log.warn("refresh token reused: session family revoked");
      c.header("Set-Cookie", clearCookie);
      throw new SessionRefused();
    }
    return sessionResponse(c, tenant, { id: rotation.userId, role: rotation.role }, rotation.token);
  });
};

export const logout: AppRouteHandler<typeof routes.logout> = async (c) => {
  const presented = parseCookies(c.req.raw).get(REFRESH_COOKIE);
  const db = await c.var.services.database();
  const tenant = await findTokenTenant(db, presented);
  if (presented !== undefined && tenant !== undefined) {
    await runInTenant(c, tenant, () => db.withTenant((query) => revokeRefreshToken(query, presented)));
  }
  c.header("Set-Cookie", clearCookie);
  return c.body(null, 204);
};

export const acceptInvitation: AppRouteHandler<typeof routes.acceptInvitation> = async (c) => {
  const { database, passwords } = c.var.services;
  const body = c.req.valid("json");
  const db = await database();
  const tenant = await findTokenTenant(db, body.token);
  if (tenant === undefined) throw new InvitationRefused();
  const passwordHash = await passwords.hash(body.password);
  if (passwordHash.isErr()) throw passwordHash.error;
  const hash = await tokenHash(body.token);
  let userId: UserId | undefined;
  try {
    userId = await runInTenant(c, tenant, () =>
      db.withTenant((query) => redeemInvitation(query, hash, passwordHash.value)),
    );
  } catch (error) {
    throw isUniqueViolation(error) ? new EmailTaken() : error;
  }
  if (userId === undefined) throw new InvitationRefused();
  return c.json({ userId }, 201);
};
