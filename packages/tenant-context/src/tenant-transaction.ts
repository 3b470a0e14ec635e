/**
 * What every driver entry (`/pg`, `/postgres`, `/pglite`, `/drizzle`, `/kysely`) shares: its options and the
 * shape of the tenant transaction it makes.
 *
 * @module
 */
import type { TenantContext, TenantLike } from "./tenant-context.ts";

/** Options for each driver's `createTenantTransaction`. */
export interface TenantTransactionOptions {
  /** The service's tenant context: each transaction runs for its current tenant. */
  readonly context: Pick<TenantContext<TenantLike>, "currentOrThrow">;
  /** The setting the policies read (see `tenantPolicySql`); defaults to `app.tenant_id`. */
  readonly setting?: string;
}

/**
 * Runs `work` in a transaction for the current tenant: the transaction first sets the tenant setting
 * (transaction-local), commits when `work` resolves, and rolls back when it throws or returns an `err`
 * Result (returned as it is). Outside a tenant it throws `TenantContextMissing`. The transaction `work` gets
 * is good until `work` settles: a query of it sent after the transaction ended is refused with a
 * `TypeError` (thrown, or the query's rejection), as the connection may by then be in another tenant's
 * transaction.
 */
export type TenantTransaction<Tx> = <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;
