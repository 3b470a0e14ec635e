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
  NoTenant,
  TenantConflict,
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
  InvalidTenantJob,
  type TenantJob,
  type TenantJobHandlerOptions,
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
  fromClaim,
  fromHeader,
  fromPathPrefix,
  fromSubdomain,
  type TenantSource,
} from "./tenant-sources.ts";
export type { TenantTransaction, TenantTransactionOptions } from "./tenant-transaction.ts";
