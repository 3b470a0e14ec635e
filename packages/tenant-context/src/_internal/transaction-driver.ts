import { endingWith } from "./ending-with.ts";
import type { TenantRunner } from "./tenant-transaction.ts";

/**
 * How a driver that commits for you runs a transaction (PGlite, Drizzle, Kysely): commit when `body`
 * resolves, roll back when it throws. Its COMMIT's answer is not visible, so the tenant is set once more
 * before it, which fails if a query failed inside: five statements.
 */
export interface TransactionDriver<Tx> {
  transaction<T>(body: (tx: Tx) => Promise<T>): Promise<T>;
  /** `SELECT set_config(setting, tenantId, true)` on `tx`: transaction-local, gone at commit or rollback. */
  setTenant(tx: Tx, setting: string, tenantId: string): Promise<unknown>;
  /** `tx` as `work` gets it, refusing queries once `ended()` (the work settled); `endingWith` by default. */
  guard?(tx: Tx, ended: () => boolean): Tx;
}

/** Runs tenant transactions on a driver that commits for you: the setting, the work, the setting again. */
export function inTransactions<Tx>(driver: TransactionDriver<Tx>): TenantRunner<Tx> {
  const guard = driver.guard ?? endingWith;
  return <T>(setting: string, tenantId: string, work: (tx: Tx) => Promise<T>, settle: (result: T) => T) =>
    driver.transaction(async (tx) => {
      await driver.setTenant(tx, setting, tenantId);
      let ended = false;
      let result: T;
      try {
        result = settle(await work(guard(tx, () => ended)));
      } finally {
        ended = true;
      }
      await driver.setTenant(tx, setting, tenantId); // fails if the transaction was aborted
      return result;
    });
}
