/**
 * @module
 * Opaque tokens for refresh sessions and invitations: `<tenant id>.<32 random bytes, base64url>`. The
 * tenant id in front says which tenant's rows to look in (row-level security shows no other); the database
 * keeps only the SHA-256 of the whole token, so a leaked table holds nothing to present.
 */
import { TenantId } from "./ids.ts";

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");

/** A new token for `tenantId`. */
export function newToken(tenantId: TenantId): string {
  return `${tenantId}.${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/** The tenant a token names, or `undefined` for anything that is not one of ours. */
export function tokenTenant(token: string): TenantId | undefined {
  const dot = token.indexOf(".");
  if (dot < 0 || token.length - dot - 1 !== 43 || !/^[A-Za-z0-9_-]+$/.test(token.slice(dot + 1)))
    return undefined;
  const tenant = TenantId.parse(token.slice(0, dot));
  return tenant.isOk() ? tenant.value : undefined;
}

/** The hex SHA-256 the database keeps in place of the token. */
export async function tokenHash(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
