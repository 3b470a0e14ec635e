/**
 * @module
 * `@keel/tenant-context/drizzle`: tenant transactions on Drizzle ORM, over any of its PostgreSQL drivers
 * (tested on node-postgres and PGlite). For the self-check, use the entry of the driver underneath.
 */
import { sql } from "drizzle-orm";
import { tenantTransactionOf } from "./_internal/tenant-transaction.ts";
import type { TenantTransaction, TenantTransactionOptions } from "./tenant-transaction.ts";

export { DatabaseConnectionLost } from "./connection-lost.ts";
export type { TenantTransaction, TenantTransactionOptions } from "./tenant-transaction.ts";

/** What the adapter needs of a Drizzle transaction: `execute`. */
export interface DrizzleExecutor {
  execute(query: ReturnType<typeof sql>): PromiseLike<unknown>;
}

interface PgPoolEvents {
  on(event: "acquire", listener: (client: PgClientEvents) => void): unknown;
  on(event: "release", listener: (error: unknown, client: PgClientEvents) => void): unknown;
}
interface PgClientEvents {
  on(event: "error", listener: () => void): unknown;
  removeListener(event: "error", listener: () => void): unknown;
}

const watchedPools = new WeakSet<object>();
// The driver's own error (the query's rejection) tells the transaction the connection is lost.
const ignoreClientError = () => {};

/**
 * Drizzle's node-postgres driver checks a client out of the pool with no 'error' listener (pg-pool removes
 * its own meanwhile): a connection lost during a transaction would be an unhandled 'error' event that ends
 * the process. Watch each checked-out client of a `pg.Pool`, once per pool; the query fails instead.
 */
function watchPgPool(client: unknown): void {
  if (typeof client !== "object" || client === null || watchedPools.has(client)) return;
  const pool = client as Partial<PgPoolEvents> & { idleCount?: unknown; connect?: unknown };
  if (
    typeof pool.on !== "function" ||
    typeof pool.connect !== "function" ||
    typeof pool.idleCount !== "number"
  )
    return;
  watchedPools.add(client);
  pool.on("acquire", (checkedOut) => checkedOut.on("error", ignoreClientError));
  pool.on("release", (_error, checkedOut) => checkedOut.removeListener("error", ignoreClientError));
}

/** What the adapter needs of a Drizzle database: `transaction`, which commits or rolls back for it. */
export interface DrizzleLike<Tx extends DrizzleExecutor> {
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
  watchPgPool((db as { $client?: unknown }).$client);
  return tenantTransactionOf(
    {
      transaction: <T>(body: (tx: Tx) => Promise<T>): Promise<T> => db.transaction(body),
      setTenant: (tx: Tx, name: string, tenantId: string) =>
        Promise.resolve(tx.execute(sql`select set_config(${name}, ${tenantId}, true)`)),
    },
    options,
  );
}
