import type { TenantContext, TenantLike } from "../tenant-context.ts";

/** How one driver runs a transaction: commit when `body` resolves, roll back when it throws. */
export interface TransactionDriver<Tx> {
  transaction<T>(body: (tx: Tx) => Promise<T>): Promise<T>;
  /** `SELECT set_config(setting, tenantId, true)` on `tx`: transaction-local, gone at commit or rollback. */
  setTenant(tx: Tx, setting: string, tenantId: string): Promise<unknown>;
}

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
 * Runs `work` in a transaction that first sets the current tenant (throws `NoTenant` outside one). The
 * transaction commits when `work` resolves, and rolls back when it throws or returns an `err` Result (which
 * is then returned as it is).
 */
export async function runTenantTransaction<Tx, T>(
  driver: TransactionDriver<Tx>,
  context: Pick<TenantContext<TenantLike>, "currentOrThrow">,
  setting: string,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  const tenant = context.currentOrThrow();
  let failed: { readonly result: T } | undefined;
  try {
    return await driver.transaction(async (tx) => {
      await driver.setTenant(tx, setting, tenant.id);
      const result = await work(tx);
      if (isErrResult(result)) {
        failed = { result };
        throw rollbackForErr;
      }
      return result;
    });
  } catch (thrown) {
    if (thrown === rollbackForErr && failed !== undefined) return failed.result;
    throw thrown;
  }
}
