/**
 * @module
 * `@keel/tenant-context/postgres`: tenant transactions and the row-level security self-check on
 * postgres.js (`postgres`), which also runs on Bun, Deno and Workers.
 */
import { tenantTransactionOf } from "./_internal/tenant-transaction.ts";
import { checkRowLevelSecurity as check, type RlsCheck } from "./rls-check.ts";
import type { TenantTransaction, TenantTransactionOptions } from "./tenant-transaction.ts";

export { DatabaseConnectionLost } from "./connection-lost.ts";
export type { TenantTransaction, TenantTransactionOptions } from "./tenant-transaction.ts";

/** What the adapter needs of a postgres.js `sql` (or transaction): `unsafe` with parameters. */
export interface PostgresQueryable {
  unsafe(query: string, parameters?: never[]): PromiseLike<readonly Record<string, unknown>[]>;
}

/** What the adapter needs of a postgres.js `sql`: `begin`, which commits or rolls back for it. */
export interface PostgresLike<Tx extends PostgresQueryable> {
  begin<T>(work: (tx: Tx) => Promise<T>): PromiseLike<unknown>;
}

/**
 * Makes `withTenant(work)` on postgres.js: `sql.begin`, `select set_config(setting, tenantId, true)`, then
 * `work(tx)`; postgres.js commits, or rolls back when `work` throws, and so does an `err` Result. A
 * connection lost during the transaction rejects it with `DatabaseConnectionLost`; postgres.js 3.4.9 may
 * then fail or hang the next transaction on that `sql` (porsager/postgres#1216, #1186; see the README). Name the
 * transaction type to keep postgres.js's tagged template inside `work` (TypeScript cannot infer it through
 * the overloaded `begin`): `createTenantTransaction<postgres.TransactionSql>(sql, ...)`.
 *
 * @example
 * ```ts no-run
 * import { createTenantContext } from "@keel/tenant-context";
 * import { createTenantTransaction } from "@keel/tenant-context/postgres";
 * import postgres from "postgres";
 *
 * const tenants = createTenantContext<{ id: string }>();
 * const sql = postgres(process.env.DATABASE_URL ?? "");
 * const withTenant = createTenantTransaction<postgres.TransactionSql>(sql, { context: tenants });
 * const rows = await tenants.run({ id: "acme" }, () => withTenant((tx) => tx`select * from tasks`));
 * ```
 */
export function createTenantTransaction<Tx extends PostgresQueryable = PostgresQueryable>(
  sql: PostgresLike<Tx>,
  options: TenantTransactionOptions,
): TenantTransaction<Tx> {
  return tenantTransactionOf(
    {
      transaction: <T>(body: (tx: Tx) => Promise<T>): Promise<T> =>
        Promise.resolve(sql.begin(body)) as Promise<T>,
      setTenant: (tx: Tx, name: string, tenantId: string) =>
        Promise.resolve(tx.unsafe("select set_config($1, $2, true)", [name, tenantId] as never[])),
    },
    options,
  );
}

/**
 * The row-level security self-check (`checkRowLevelSecurity` of the main entry) for a postgres.js `sql`:
 * run it at start-up, connected as the service's role.
 *
 * @example
 * ```ts no-run
 * import { checkRowLevelSecurity } from "@keel/tenant-context/postgres";
 * import postgres from "postgres";
 *
 * const report = await checkRowLevelSecurity(postgres(process.env.DATABASE_URL ?? ""));
 * if (report.isErr()) throw report.error; // names every problem
 * ```
 */
export const checkRowLevelSecurity: RlsCheck<PostgresQueryable> = (sql, options) =>
  check(async (text, params) => await sql.unsafe(text, [...params] as never[]), options);
