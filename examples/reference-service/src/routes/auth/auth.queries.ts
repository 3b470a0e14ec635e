/**
 * @module
 * The queries of sign-up, login and invitations, each run inside the tenant transaction the handler
 * opened (the tenant named by the workspace or by the token). Refresh sessions are in `sessions.ts`.
 */
import type { SqlQuery } from "@keel/tenant-context";
import { UserId } from "../../ids.ts";
import type { Tenant } from "../../tenant.ts";

/** A user as login needs it. */
export interface LoginUser {
  readonly id: UserId;
  readonly passwordHash: string;
  readonly role: string;
}

/** Postgres' unique violation, as postgres.js and PGlite both report it. */
export const isUniqueViolation = (error: unknown): boolean =>
  typeof error === "object" && error !== null && "code" in error && error.code === "23505";

/** The new tenant's directory entry and its owner: one transaction, so both or neither. */
export async function insertWorkspace(
  query: SqlQuery,
  tenant: Tenant,
  owner: { readonly id: UserId; readonly email: string; readonly passwordHash: string },
): Promise<void> {
  await query("insert into tenants (id, slug, name) values ($1, $2, $3)", [
    tenant.id,
    tenant.slug,
    tenant.name,
  ]);
  await query("insert into users (id, email, password_hash, role) values ($1, $2, $3, 'owner')", [
    owner.id,
    owner.email,
    owner.passwordHash,
  ]);
}

/** The tenant's user with this email, in any case of its letters. */
export async function findUserByEmail(query: SqlQuery, email: string): Promise<LoginUser | undefined> {
  const [row] = await query("select id, password_hash, role from users where lower(email) = lower($1)", [
    email,
  ]);
  return row === undefined
    ? undefined
    : { id: row.id as UserId, passwordHash: String(row.password_hash), role: String(row.role) };
}

/** Stores a rehash of the user's password (made with the current costs). */
export async function updatePasswordHash(query: SqlQuery, id: UserId, passwordHash: string): Promise<void> {
  await query("update users set password_hash = $1 where id = $2", [passwordHash, id]);
}

/**
 * Marks the invitation whose token hashes to `tokenHash` accepted and creates its user; `undefined` when
 * it is unknown, expired or already accepted. A second user with the email is a unique violation.
 */
export async function redeemInvitation(
  query: SqlQuery,
  tokenHash: string,
  passwordHash: string,
): Promise<UserId | undefined> {
  const [invitation] = await query(
    `update invitations set accepted_at = now()
      where token_hash = $1 and accepted_at is null and expires_at > now()
      returning email, role`,
    [tokenHash],
  );
  if (invitation === undefined) return undefined;
  const id = UserId.generate();
  await query("insert into users (id, email, password_hash, role) values ($1, $2, $3, $4)", [
    id,
    invitation.email,
    passwordHash,
    invitation.role,
  ]);
  return id;
}
