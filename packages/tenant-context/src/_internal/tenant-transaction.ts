import { AsyncLocalStorage } from "node:async_hooks";
import { DatabaseConnectionLost } from "../connection-lost.ts";
import type { TenantTransaction, TenantTransactionOptions } from "../tenant-transaction.ts";
import { isConnectionLost } from "./connection-lost.ts";
import { checkSettingName, DEFAULT_SETTING } from "./sql-names.ts";

/**
 * How a driver runs one tenant transaction: `work` inside, with `set_config(setting, tenantId, true)` before
 * it; `settle` checks what `work` resolved to and throws to roll back (an `err` Result).
 */
export type TenantRunner<Tx> = <T>(
  setting: string,
  tenantId: string,
  work: (tx: Tx) => Promise<T>,
  settle: (result: T) => T,
) => Promise<T>;

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
 * A driver's `createTenantTransaction`: the setting checked once, at set-up, then for each call, `work` in
 * a transaction that first sets the current tenant (throws `TenantContextMissing` outside one, and a
 * `TypeError` inside another tenant transaction). The transaction commits when `work` resolves, and rolls
 * back when it throws or returns an `err` Result (which is then returned as it is). PostgreSQL turns the
 * COMMIT of a transaction in which a query failed into a rollback: a failure that `work` caught and ignored
 * surfaces as a rejection instead (from COMMIT's answer, or, on a driver that commits for you, from setting
 * the tenant once more before it). A connection that died under the transaction rejects with
 * `DatabaseConnectionLost`.
 */
export function tenantTransactionOf<Tx>(
  run: TenantRunner<Tx>,
  options: TenantTransactionOptions,
): TenantTransaction<Tx> {
  const setting = checkSettingName(options.setting ?? DEFAULT_SETTING);
  return async <T>(work: (tx: Tx) => Promise<T>): Promise<T> => {
    const tenant = options.context.currentOrThrow();
    if (insideTransaction.getStore() === true) {
      throw new TypeError("tenant transaction inside a tenant transaction: use the transaction you have");
    }
    // Refused before anything is sent: a value the driver cannot send as text fails inside its pipeline, and
    // a lone surrogate reaches the server as U+FFFD, the same setting as another id with one there.
    if (typeof tenant.id !== "string" || /\p{Cs}/u.test(tenant.id)) {
      throw new TypeError("tenant id must be a well-formed string");
    }
    let failed: { readonly result: T } | undefined;
    const settle = (result: T): T => {
      if (isErrResult(result)) {
        failed = { result };
        throw rollbackForErr;
      }
      return result;
    };
    try {
      return await insideTransaction.run(true, () => run(setting, tenant.id, work, settle));
    } catch (thrown) {
      if (thrown === rollbackForErr && failed !== undefined) return failed.result;
      if (isConnectionLost(thrown) && !(thrown instanceof DatabaseConnectionLost)) {
        throw new DatabaseConnectionLost({ cause: thrown });
      }
      throw thrown;
    }
  };
}
