/**
 * `@keel/tenant-context`: the request's tenant on AsyncLocalStorage, tenant resolution, isolation guards, jobs,
 * per-tenant settings, and PostgreSQL row-level security with a start-up self-check. Driver adapters are the
 * `/pg`, `/postgres`, `/pglite`, `/drizzle` and `/kysely` entries; Hono middleware is `/hono`.
 *
 * @module
 */
export { DatabaseConnectionLost } from "./connection-lost.ts";
export {
  checkRowLevelSecurity,
  type RlsCheck,
  type RlsCheckOptions,
  RlsNotEnforced,
  type RlsReport,
  type SqlQuery,
} from "./rls-check.ts";
export { type TenantPolicyOptions, tenantPolicySql } from "./rls-policy.ts";
export {
  createTenantContext,
  type LogFields,
  type RunOptions,
  type TenantContext,
  type TenantLike,
} from "./tenant-context.ts";
export {
  CrossTenantAccess,
  TenantConflict,
  TenantContextMissing,
  TenantInvalid,
  TenantMissing,
  TenantNotFound,
  type TenantResolutionError,
  TenantSuspended,
  TenantUnauthenticated,
  tenantProblemStatuses,
} from "./tenant-errors.ts";
export {
  createTenantJobHandler,
  type TenantJob,
  type TenantJobHandlerOptions,
  TenantJobInvalid,
  tenantJob,
} from "./tenant-jobs.ts";
export {
  createTenantResolver,
  type LookupResult,
  type TenantResolver,
  type TenantResolverOptions,
} from "./tenant-resolver.ts";
export { createTenantSettings, type TenantSettings, type TenantSettingsOptions } from "./tenant-settings.ts";
export {
  type Claims,
  claimSource,
  headerSource,
  pathPrefixSource,
  subdomainSource,
  type TenantSource,
} from "./tenant-sources.ts";
export type { TenantTransaction, TenantTransactionOptions } from "./tenant-transaction.ts";
