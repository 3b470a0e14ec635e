/**
 * @module
 * `@keel/tenant-context/pg`: tenant transactions and the row-level security self-check on node-postgres
 * (`pg`), which also runs on Bun, Deno and Workers (over TCP sockets).
 */

import { tenantTransactionOf } from "./_internal/tenant-transaction.ts";
import { DatabaseConnectionLost } from "./connection-lost.ts";
import { checkRowLevelSecurity as check, type RlsCheck } from "./rls-check.ts";
import type { TenantTransaction, TenantTransactionOptions } from "./tenant-transaction.ts";

export { DatabaseConnectionLost } from "./connection-lost.ts";
export type { TenantTransaction, TenantTransactionOptions } from "./tenant-transaction.ts";

/** What the adapter needs of a `pg` client: `query`. A `pg.PoolClient` or `pg.Client` has it. */
export interface PgQueryable {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** What the adapter needs of a checked-out `pg` client: `release`, and its `error` event. */
export interface PgPoolClientLike {
  release(destroy?: Error | boolean): void;
  on(event: "error", listener: (error: Error) => void): unknown;
  removeListener(event: "error", listener: (error: Error) => void): unknown;
}

/** What the adapter needs of a `pg.Pool`: clients to check out and release. */
export interface PgPoolLike<Client extends PgQueryable> {
  connect(): Promise<Client & PgPoolClientLike>;
}

/**
 * Makes `withTenant(work)`: check out a client, `BEGIN`, `SELECT set_config(setting, tenantId, true)`, run
 * `work`, then `COMMIT` (or `ROLLBACK` when `work` throws or returns an `err` Result). The setting is
 * transaction-local, so the pooled connection never carries it to the next request; a client whose
 * rollback failed is destroyed, not returned to the pool. A connection that dies during the transaction
 * (the server ended it, a timeout, a failover) makes it reject with `DatabaseConnectionLost`, not crash the
 * process: the client is watched for `error` while checked out (pg-pool removes its own listener then), and
 * destroyed. Outside a tenant it throws `TenantContextMissing`. Name the client type to keep pg's typed
 * `query` inside `work` (TypeScript cannot infer it through `pg.Pool`'s overloaded `connect`):
 * `createTenantTransaction<pg.PoolClient>(pool, ...)`.
 *
 * @example
 * ```ts no-run
 * import { createTenantContext } from "@keel/tenant-context";
 * import { createTenantTransaction } from "@keel/tenant-context/pg";
 * import pg from "pg";
 *
 * const tenants = createTenantContext<{ id: string }>();
 * const withTenant = createTenantTransaction<pg.PoolClient>(new pg.Pool(), { context: tenants });
 * const rows = await tenants.run({ id: "acme" }, () =>
 *   withTenant(async (client) => (await client.query("select * from tasks")).rows), // only acme's rows
 * );
 * ```
 */
export function createTenantTransaction<Client extends PgQueryable = PgQueryable>(
  pool: PgPoolLike<Client>,
  options: TenantTransactionOptions,
): TenantTransaction<Client> {
  return tenantTransactionOf(
    {
      async transaction<T>(body: (tx: Client) => Promise<T>): Promise<T> {
        const client = await pool.connect();
        // Without a listener, a connection error while the client is checked out is an unhandled 'error'
        // event: it ends the process.
        let lost: Error | undefined;
        const onError = (error: Error) => {
          lost = error;
        };
        client.on("error", onError);
        let broken: Error | undefined;
        try {
          await client.query("BEGIN");
          const result = await body(client);
          await client.query("COMMIT");
          return result;
        } catch (thrown) {
          if (lost !== undefined) throw new DatabaseConnectionLost({ cause: lost });
          try {
            await client.query("ROLLBACK");
          } catch (rollbackError) {
            broken = rollbackError instanceof Error ? rollbackError : new Error("ROLLBACK failed");
          }
          throw thrown;
        } finally {
          client.removeListener("error", onError);
          client.release(lost ?? broken);
        }
      },
      setTenant: (tx: Client, name: string, tenantId: string) =>
        tx.query("select set_config($1, $2, true)", [name, tenantId]),
    },
    options,
  );
}

/**
 * The row-level security self-check (`checkRowLevelSecurity` of the main entry) for a `pg` pool or
 * client: run it at start-up, connected as the service's role.
 *
 * @example
 * ```ts no-run
 * import { checkRowLevelSecurity } from "@keel/tenant-context/pg";
 * import pg from "pg";
 *
 * const report = await checkRowLevelSecurity(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * if (report.isErr()) throw report.error; // names every problem
 * ```
 */
export const checkRowLevelSecurity: RlsCheck<PgQueryable> = (db, options) =>
  check(async (text, params) => (await db.query(text, [...params])).rows, options);
