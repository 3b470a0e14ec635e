/**
 * `@keel/tenant-context/drizzle`: tenant transactions on Drizzle ORM, over any of its PostgreSQL drivers
 * (tested on node-postgres and PGlite). For the self-check, use the entry of the driver underneath.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import type { SQL } from "./_internal/external-types.ts";
import { tenantTransactionOf } from "./_internal/tenant-transaction.ts";
import { inTransactions } from "./_internal/transaction-driver.ts";
import { isPgPool, watchPgPool } from "./_internal/watch-pg-pool.ts";
import type { TenantTransaction, TenantTransactionOptions } from "./tenant-transaction.ts";

export { DatabaseConnectionLost } from "./connection-lost.ts";
export type { TenantTransaction, TenantTransactionOptions } from "./tenant-transaction.ts";

/** What the adapter needs of a Drizzle transaction: `execute`. */
export interface DrizzleExecutor {
  /** Runs a `sql` template query: how the adapter sets the tenant on the transaction. */
  execute(query: SQL): PromiseLike<unknown>;
}

/** What the adapter needs of a Drizzle database: `transaction`, which commits or rolls back for it. */
export interface DrizzleLike<Tx extends DrizzleExecutor> {
  /** Runs `work` in a transaction: commits when it resolves, rolls back when it rejects. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

/**
 * Makes `withTenant(work)` on Drizzle: `db.transaction`, `select set_config(setting, tenantId, true)`, then
 * `work(tx)` with Drizzle's typed transaction; it commits, or rolls back when `work` throws or returns an
 * `err` Result. A connection lost during the transaction rejects it with `DatabaseConnectionLost`; on a
 * `pg.Pool` it adds an `error` listener to each client while it is checked out, so the loss cannot end the
 * process (Drizzle adds none).
 *
 * @example
 * ```ts no-run
 * import { PGlite } from "@electric-sql/pglite";
 * import { createTenantContext } from "@keel/tenant-context";
 * import { createTenantTransaction } from "@keel/tenant-context/drizzle";
 * import { sql } from "drizzle-orm";
 * import { drizzle } from "drizzle-orm/pglite";
 *
 * const client = new PGlite();
 * const db = drizzle({ client });
 * const tenants = createTenantContext<{ id: string }>();
 * const withTenant = createTenantTransaction(db, { context: tenants });
 * const rows = await tenants.run({ id: "acme" }, () =>
 *   withTenant((tx) => tx.execute(sql`select current_setting('app.tenant_id') as id`)),
 * );
 * console.assert(rows.rows[0]?.id === "acme");
 * await client.close();
 * ```
 */
export function createTenantTransaction<Tx extends DrizzleExecutor>(
  db: DrizzleLike<Tx>,
  options: TenantTransactionOptions,
): TenantTransaction<Tx> {
  // Drizzle's node-postgres driver checks clients out with no 'error' listener: watch its pg.Pool.
  const client = (db as { $client?: unknown }).$client;
  if (isPgPool(client)) watchPgPool(client);
  return tenantTransactionOf(
    inTransactions({
      transaction: <T>(body: (tx: Tx) => Promise<T>): Promise<T> => db.transaction(body),
      setTenant: (tx: Tx, name: string, tenantId: string) =>
        Promise.resolve(tx.execute(sql`select set_config(${name}, ${tenantId}, true)`)),
    }),
    options,
  );
}
