/**
 * @module
 * The service's tenant: its context (made once, shared by every module) and how a request's tenant is
 * found. API requests name their tenant in the access token's verified `tid` claim; an `X-Tenant-Id` header,
 * when a client sends one, must agree with it or the request is refused (`TenantConflict`, 403).
 */
import { err, ok } from "@keel/result";
import {
  claimSource,
  createTenantContext,
  createTenantResolver,
  headerSource,
  type TenantContext,
  TenantNotFound,
  type TenantResolver,
} from "@keel/tenant-context";
import type { Database } from "./database.ts";
import { TenantId } from "./ids.ts";
import { tokenTenant } from "./opaque-token.ts";

export interface Tenant {
  readonly id: TenantId;
  readonly slug: string;
  readonly name: string;
}

export const tenants: TenantContext<Tenant> = createTenantContext<Tenant>();

/** Finds a tenant in the directory by id or by slug (the workspace name users type at login). */
export async function findTenant(
  database: Database,
  by: { readonly id: TenantId } | { readonly slug: string },
): Promise<Tenant | undefined> {
  const [column, value] = "id" in by ? ["id", by.id] : ["slug", by.slug];
  const [row] = await database.directory(`select id, slug, name from tenants where ${column} = $1`, [value]);
  return row === undefined
    ? undefined
    : { id: row.id as TenantId, slug: String(row.slug), name: String(row.name) };
}

/** The tenant an opaque token (refresh, invitation) names, when it is one of ours and the tenant exists. */
export async function findTokenTenant(
  database: Database,
  token: string | undefined,
): Promise<Tenant | undefined> {
  const id = token === undefined ? undefined : tokenTenant(token);
  return id === undefined ? undefined : findTenant(database, { id });
}

/** The API's resolver: the token's `tid` claim (required), checked against an `X-Tenant-Id` header if sent. */
export function createApiTenantResolver(database: () => Promise<Database>): TenantResolver<Tenant> {
  return createTenantResolver({
    sources: [claimSource("tid", { required: true }), headerSource("x-tenant-id")],
    id: TenantId,
    lookup: async (id) => {
      const tenant = await findTenant(await database(), { id });
      return tenant === undefined ? err(new TenantNotFound()) : ok(tenant);
    },
    // Tenants are read far more often than made: keep found ones for a minute.
    cache: { ttlMs: 60_000, maxEntries: 10_000 },
  });
}
