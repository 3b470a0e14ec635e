import { AsyncLocalStorage } from "node:async_hooks";
import { DatabaseConnectionLost } from "../connection-lost.ts";
import type { TenantContext, TenantLike } from "../tenant-context.ts";
import type { TenantTransaction, TenantTransactionOptions } from "../tenant-transaction.ts";
import { isConnectionLost } from "./connection-lost.ts";
import { checkSettingName, DEFAULT_SETTING } from "./sql-names.ts";

/** How one driver runs a transaction: commit when `body` resolves, roll back when it throws. */
export interface TransactionDriver<Tx> {
  transaction<T>(body: (tx: Tx) => Promise<T>): Promise<T>;
  /** `SELECT set_config(setting, tenantId, true)` on `tx`: transaction-local, gone at commit or rollback. */
  setTenant(tx: Tx, setting: string, tenantId: string): Promise<unknown>;
}

// Marks the async scope of a running tenant transaction, to refuse a nested one: it would wait for a second
// connection (a pool of one, PGlite's single session) while holding the first, and never finish.
const insideTransaction = new AsyncLocalStorage<true>();

// Thrown inside the driver's transaction to roll it back when the work returned an `err` Result.
const rollbackForErr: unique symbol = Symbol("rollback for err");

function isErrResult(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { isErr?: unknown }).isErr === "function" &&
    (value as { isErr: () => boolean }).isErr()
  );
}

/**
 * Runs `work` in a transaction that first sets the current tenant (throws `TenantContextMissing` outside one, and a
 * `TypeError` inside another tenant transaction). The transaction commits when `work` resolves, and rolls
 * back when it throws or returns an `err` Result (which is then returned as it is). Before committing it
 * sets the tenant once more: PostgreSQL turns the COMMIT of a transaction in which a query failed into a
 * silent rollback, so a failure that `work` caught and ignored surfaces here as a rejection instead. A
 * connection that died under the transaction rejects with `DatabaseConnectionLost`.
 */
export async function runTenantTransaction<Tx, T>(
  driver: TransactionDriver<Tx>,
  context: Pick<TenantContext<TenantLike>, "currentOrThrow">,
  setting: string,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  const tenant = context.currentOrThrow();
  if (insideTransaction.getStore() === true) {
    throw new TypeError("tenant transaction inside a tenant transaction: use the transaction you have");
  }
  let failed: { readonly result: T } | undefined;
  try {
    return await insideTransaction.run(true, () =>
      driver.transaction(async (tx) => {
        await driver.setTenant(tx, setting, tenant.id);
        const result = await work(tx);
        if (isErrResult(result)) {
          failed = { result };
          throw rollbackForErr;
        }
        await driver.setTenant(tx, setting, tenant.id); // fails if the transaction was aborted
        return result;
      }),
    );
  } catch (thrown) {
    if (thrown === rollbackForErr && failed !== undefined) return failed.result;
    if (isConnectionLost(thrown) && !(thrown instanceof DatabaseConnectionLost)) {
      throw new DatabaseConnectionLost({ cause: thrown });
    }
    throw thrown;
  }
}

/** A driver's `createTenantTransaction`: the setting checked once, at set-up, then one transaction per call. */
export function tenantTransactionOf<Tx>(
  driver: TransactionDriver<Tx>,
  options: TenantTransactionOptions,
): TenantTransaction<Tx> {
  const setting = checkSettingName(options.setting ?? DEFAULT_SETTING);
  return (work) => runTenantTransaction(driver, options.context, setting, work);
}
