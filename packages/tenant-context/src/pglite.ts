/**
 * `@keel/tenant-context/pglite`: tenant transactions and the row-level security self-check on PGlite,
 * PostgreSQL in WebAssembly, in process: what a service uses where no server runs (a demo, a test, `npm
 * start`). Node, Bun and Deno; not workerd, which refuses to compile WebAssembly at run time.
 *
 * @module
 */
import type { Result } from "./_internal/external-types.ts";
import { tenantTransactionOf } from "./_internal/tenant-transaction.ts";
import { inTransactions } from "./_internal/transaction-driver.ts";
import type { RlsCheck, RlsCheckOptions, RlsNotEnforced, RlsReport } from "./rls-check.ts";
import { checkRowLevelSecurity as check } from "./rls-check.ts";
import type { TenantTransaction, TenantTransactionOptions } from "./tenant-transaction.ts";

export type { TenantTransaction, TenantTransactionOptions } from "./tenant-transaction.ts";

/** What the adapter needs of a PGlite instance or transaction: `query` with parameters. */
export interface PgliteQueryable {
  /** Runs one parameterised statement and gives its rows. */
  query<Row>(query: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

/** What the adapter needs of a PGlite instance: `transaction`, which commits or rolls back for it. */
export interface PgliteLike<Tx extends PgliteQueryable> {
  /** Runs `work` in a transaction: commits when it resolves, rolls back when it rejects. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

/**
 * Makes `withTenant(work)` on PGlite: `db.transaction`, `select set_config(setting, tenantId, true)`, then
 * `work(tx)`; PGlite commits, or rolls back when `work` throws, and so does an `err` Result.
 *
 * @example
 * ```ts
 * import { PGlite } from "@electric-sql/pglite";
 * import { createTenantContext } from "@keel/tenant-context";
 * import { createTenantTransaction } from "@keel/tenant-context/pglite";
 *
 * const db = new PGlite();
 * const tenants = createTenantContext<{ id: string }>();
 * const withTenant = createTenantTransaction(db, { context: tenants });
 * const seen = await tenants.run({ id: "acme" }, () =>
 *   withTenant(async (tx) => (await tx.query<{ id: string }>("select current_setting('app.tenant_id') as id")).rows[0]?.id),
 * );
 * console.assert(seen === "acme");
 * await db.close();
 * ```
 */
export function createTenantTransaction<Tx extends PgliteQueryable>(
  db: PgliteLike<Tx>,
  options: TenantTransactionOptions,
): TenantTransaction<Tx> {
  return tenantTransactionOf(
    inTransactions({
      transaction: <T>(body: (tx: Tx) => Promise<T>): Promise<T> => db.transaction(body),
      setTenant: (tx: Tx, name: string, tenantId: string) =>
        tx.query("select set_config($1, $2, true)", [name, tenantId]),
    }),
    options,
  );
}

/**
 * The row-level security self-check (`checkRowLevelSecurity` of the main entry) for PGlite. PGlite runs as
 * a superuser by default: connect the check (and the service) as the app role, e.g. `SET ROLE app` first.
 *
 * @example
 * ```ts no-run
 * import { PGlite } from "@electric-sql/pglite";
 * import { checkRowLevelSecurity } from "@keel/tenant-context/pglite";
 *
 * const db = new PGlite();
 * const report = await checkRowLevelSecurity(db); // PGlite's default role is a superuser
 * console.assert(report.isErr() && report.error.problems.some((problem) => problem.includes("superuser")));
 * await db.close();
 * ```
 */
export const checkRowLevelSecurity: RlsCheck<PgliteQueryable> = (
  db: PgliteQueryable,
  options?: RlsCheckOptions,
): Promise<Result<RlsReport, RlsNotEnforced>> =>
  check(async (text, params) => (await db.query<Record<string, unknown>>(text, [...params])).rows, options);
