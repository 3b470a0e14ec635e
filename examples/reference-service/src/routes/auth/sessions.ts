/**
 * @module
 * Refresh sessions, in PostgreSQL under row-level security. A login starts a family; every refresh marks
 * the presented token used and issues the family's next one, and no token of a family outlives the
 * family's 30 days. A used token presented again was replayed: by a thief or by the user, one of them had
 * it first, and the server cannot tell which, so the whole family is revoked and both must log in again
 * (OAuth 2.0 Security BCP, 4.14.2). That includes two tabs refreshing at once with one cookie: a client
 * refreshes one request at a time (a shared promise, or the Web Locks API across tabs). A grace window for
 * such races would also let a thief who refreshed first keep the session. Runs inside the tenant
 * transaction the caller opened.
 */
import type { SqlQuery } from "@keel/tenant-context";
import type { TenantId, UserId } from "../../ids.ts";
import { newToken, tokenHash } from "../../opaque-token.ts";

/** How long a refresh token lives: the cookie's Max-Age too. */
export const REFRESH_LIFETIME_SEC = 14 * 24 * 60 * 60;
/** How long a family lives from its login, however often it rotates. */
const FAMILY_LIFETIME_SEC = 30 * 24 * 60 * 60;

export type Rotation =
  | { readonly kind: "rotated"; readonly userId: UserId; readonly role: string; readonly token: string }
  | { readonly kind: "reused" }
  | { readonly kind: "refused" };

interface Family {
  readonly id: string;
  /** When the family ends: carried over from the previous token; `undefined` for a new one (30 days). */
  readonly expiresAt: Date | undefined;
}

async function insertToken(
  query: SqlQuery,
  tenantId: TenantId,
  userId: UserId,
  family: Family,
): Promise<string> {
  const token = newToken(tenantId);
  await query(
    `insert into refresh_tokens (token_hash, user_id, family, family_expires_at, expires_at)
     select $1, $2, $3, f.ends, least(now() + make_interval(secs => $4), f.ends)
       from (select coalesce($5::timestamptz, now() + make_interval(secs => $6)) as ends) f`,
    [
      await tokenHash(token),
      userId,
      family.id,
      REFRESH_LIFETIME_SEC,
      family.expiresAt ?? null,
      FAMILY_LIFETIME_SEC,
    ],
  );
  return token;
}

/** Starts a family, at login; returns the token to send. */
export function issueRefreshToken(query: SqlQuery, tenantId: TenantId, userId: UserId): Promise<string> {
  return insertToken(query, tenantId, userId, { id: crypto.randomUUID(), expiresAt: undefined });
}

/** Exchanges `token` for the next of its family, or says why not (revoking the family on reuse). */
export async function rotateRefreshToken(
  query: SqlQuery,
  tenantId: TenantId,
  token: string,
): Promise<Rotation> {
  const hash = await tokenHash(token);
  // FOR UPDATE: two refreshes racing with one token are serialised, and the second sees it used.
  const [row] = await query(
    `select r.user_id, r.family, r.family_expires_at, r.used_at is not null as used, u.role
       from refresh_tokens r join users u on u.id = r.user_id
      where r.token_hash = $1 and r.revoked_at is null and r.expires_at > now()
      for update of r`,
    [hash],
  );
  if (row === undefined) return { kind: "refused" };
  if (row.used === true) {
    await revokeFamily(query, String(row.family));
    return { kind: "reused" };
  }
  await query("update refresh_tokens set used_at = now() where token_hash = $1", [hash]);
  const userId = row.user_id as UserId;
  const ends = row.family_expires_at;
  const family = { id: String(row.family), expiresAt: ends instanceof Date ? ends : new Date(String(ends)) };
  return {
    kind: "rotated",
    userId,
    role: String(row.role),
    token: await insertToken(query, tenantId, userId, family),
  };
}

/** Logout: the family of `token` can no longer refresh. */
export async function revokeRefreshToken(query: SqlQuery, token: string): Promise<void> {
  const [row] = await query("select family from refresh_tokens where token_hash = $1", [
    await tokenHash(token),
  ]);
  if (row !== undefined) await revokeFamily(query, String(row.family));
}

async function revokeFamily(query: SqlQuery, family: string): Promise<void> {
  await query("update refresh_tokens set revoked_at = now() where family = $1 and revoked_at is null", [
    family,
  ]);
}
