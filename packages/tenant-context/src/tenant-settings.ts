/**
 * Typed per-tenant settings and feature flags: loaded through your function, validated by a schema, cached
 * per tenant with a TTL and a bound on entries, and read for the current tenant.
 *
 * @module
 */
import { err, fromSchema } from "@keel/result";
import type { Result, StandardSchemaV1, ValidationError } from "./_internal/external-types.ts";
import { SharedLoads } from "./_internal/shared-loads.ts";
import { TtlCache } from "./_internal/ttl-cache.ts";
import type { TenantContext, TenantLike } from "./tenant-context.ts";
import type { TenantContextMissing } from "./tenant-errors.ts";

/** Options for {@link createTenantSettings}. */
export interface TenantSettingsOptions<S extends StandardSchemaV1> {
  /** The service's tenant context: settings are read for its current tenant. */
  readonly context: Pick<TenantContext<TenantLike>, "current">;
  /** Validates what `load` returns; its output is the settings type. */
  readonly schema: S;
  /** Loads a tenant's raw settings (a row, a JSON document). A rejection reaches the caller as is. */
  readonly load: (tenantId: string) => unknown;
  /** How long valid settings are kept, in milliseconds. */
  readonly ttlMs: number;
  /** How many tenants' settings are kept at most (least recently used out first). */
  readonly maxEntries: number;
  /** The clock, for tests; defaults to `Date.now`. */
  readonly now?: () => number;
}

/** The current tenant's settings; made by {@link createTenantSettings}. */
export interface TenantSettings<Settings> {
  /** The current tenant's settings: cached, or loaded and validated (one load per tenant at a time). */
  current(): Promise<Result<Settings, TenantContextMissing | ValidationError>>;
  /** Forgets a tenant's settings, e.g. after they changed; a load already running is not cached. */
  invalidate(tenantId: string): void;
}

/**
 * Makes the settings reader of a service. Only valid settings are cached; concurrent reads for one tenant
 * share one load.
 *
 * @example
 * ```ts
 * import { createTenantContext, createTenantSettings } from "@keel/tenant-context";
 * import * as z from "zod";
 *
 * const tenants = createTenantContext<{ id: string }>();
 * const rows: Record<string, unknown> = { acme: { plan: "pro", flags: { betaSearch: true } } };
 * const settings = createTenantSettings({
 *   context: tenants,
 *   schema: z.object({ plan: z.enum(["free", "pro"]), flags: z.object({ betaSearch: z.boolean() }) }),
 *   load: async (tenantId) => rows[tenantId],
 *   ttlMs: 60_000,
 *   maxEntries: 10_000,
 * });
 * const acme = await tenants.run({ id: "acme" }, () => settings.current());
 * console.assert(acme.isOk() && acme.value.flags.betaSearch);
 * ```
 */
export function createTenantSettings<S extends StandardSchemaV1>(
  options: TenantSettingsOptions<S>,
): TenantSettings<StandardSchemaV1.InferOutput<S>> {
  type Settings = StandardSchemaV1.InferOutput<S>;
  const validate = fromSchema(options.schema);
  const settings = new SharedLoads<Settings, ValidationError>(
    async (tenantId) => validate(await options.load(tenantId)),
    new TtlCache<Settings>(options),
  );

  return {
    async current() {
      const tenant = options.context.current();
      if (tenant.isErr()) return err(tenant.error);
      return settings.get(tenant.value.id);
    },
    invalidate: (tenantId) => settings.forget(tenantId),
  };
}
