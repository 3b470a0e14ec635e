/**
 * `@keel/tenant-context/kysely`: tenant transactions on Kysely, over any of its PostgreSQL dialects (tested
 * on its `PostgresDialect` with `pg`, and on PGlite). For the self-check, use the entry of the driver
 * underneath.
 *
 * @module
 */
import { sql } from "kysely";
import type { Kysely, Transaction } from "./_internal/external-types.ts";
import { tenantTransactionOf } from "./_internal/tenant-transaction.ts";
import { inTransactions } from "./_internal/transaction-driver.ts";
import { isPgPool, type PgPoolEvents, watchPgPool } from "./_internal/watch-pg-pool.ts";
import type { TenantTransaction, TenantTransactionOptions } from "./tenant-transaction.ts";

export type { PgClientEvents, PgPoolEvents } from "./_internal/watch-pg-pool.ts";
export { DatabaseConnectionLost } from "./connection-lost.ts";
export type { TenantTransaction, TenantTransactionOptions } from "./tenant-transaction.ts";

/** Options for Kysely's `createTenantTransaction`: the common ones, and the `pg.Pool` under the dialect. */
export interface KyselyTenantTransactionOptions extends TenantTransactionOptions {
  /**
   * The `pg.Pool` given to Kysely's `PostgresDialect`, which Kysely keeps out of reach. Kysely checks a
   * client out with no `error` listener (pg-pool removes its own meanwhile), so a connection lost during a
   * transaction would end the process on an unhandled `error` event; with the pool here, each client is
   * watched while checked out and the transaction rejects with `DatabaseConnectionLost` instead. Leave it
   * out on a dialect without a `pg.Pool` (PGlite).
   */
  readonly pool?: PgPoolEvents;
}

/**
 * Makes `withTenant(work)` on Kysely: `db.transaction().execute`, `select set_config(setting, tenantId,
 * true)` (the values as parameters), then `work(trx)` with Kysely's typed transaction; it commits, or rolls
 * back when `work` throws or returns an `err` Result. A query that failed inside, even one `work` caught,
 * makes it reject. A connection lost during the transaction rejects it with `DatabaseConnectionLost`: on
 * `PostgresDialect`, pass its `pg.Pool` as `pool` so the loss cannot end the process first. Throws a
 * `TypeError` at set-up when `pool` is not a `pg.Pool`, or `setting` not a setting name.
 *
 * @example
 * ```ts no-run
 * import { createTenantContext } from "@keel/tenant-context";
 * import { createTenantTransaction } from "@keel/tenant-context/kysely";
 * import { Kysely, PostgresDialect } from "kysely";
 * import pg from "pg";
 *
 * interface Database {
 *   tasks: { id: number; tenant_id: string; title: string };
 * }
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
 * const tenants = createTenantContext<{ id: string }>();
 * const withTenant = createTenantTransaction(db, { context: tenants, pool });
 * const tasks = await tenants.run({ id: "acme" }, () =>
 *   withTenant((trx) => trx.selectFrom("tasks").select(["id", "title"]).execute()),
 * );
 * console.assert(Array.isArray(tasks)); // acme's rows only, by the row-level security policy
 * await db.destroy();
 * ```
 */
export function createTenantTransaction<DB>(
  db: Kysely<DB>,
  options: KyselyTenantTransactionOptions,
): TenantTransaction<Transaction<DB>> {
  if (options.pool !== undefined) {
    if (!isPgPool(options.pool)) {
      throw new TypeError("createTenantTransaction: `pool` must be the pg.Pool given to PostgresDialect");
    }
    watchPgPool(options.pool);
  }
  return tenantTransactionOf(
    inTransactions({
      transaction: <T>(body: (trx: Transaction<DB>) => Promise<T>): Promise<T> =>
        db.transaction().execute(body),
      setTenant: (trx: Transaction<DB>, name: string, tenantId: string) =>
        sql`select set_config(${name}, ${tenantId}, true)`.execute(trx),
    }),
    options,
  );
}
