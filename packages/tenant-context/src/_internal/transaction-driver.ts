import { lateQuery } from "./late-query.ts";
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
}

/**
 * `tx` as `work` gets it: once `ended()`, calling any of its methods throws `lateQuery()`. The driver gives
 * the connection back when the transaction ends, and a query sent on it later would run wherever it is by
 * then (Drizzle on node-postgres and postgres.js do send it).
 */
function endingWith<Tx>(tx: Tx, ended: () => boolean): Tx {
  if ((typeof tx !== "object" && typeof tx !== "function") || tx === null) return tx;
  return new Proxy(tx, {
    // postgres.js's `sql.begin` gives a function: its tagged template.
    apply(target, self, args) {
      if (ended()) throw lateQuery();
      return Reflect.apply(target as never, self, args);
    },
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (ended()) throw lateQuery();
        return Reflect.apply(value, target, args);
      };
    },
  });
}

/** Runs tenant transactions on a driver that commits for you: the setting, the work, the setting again. */
export function inTransactions<Tx>(driver: TransactionDriver<Tx>): TenantRunner<Tx> {
  return <T>(setting: string, tenantId: string, work: (tx: Tx) => Promise<T>, settle: (result: T) => T) =>
    driver.transaction(async (tx) => {
      await driver.setTenant(tx, setting, tenantId);
      let ended = false;
      let result: T;
      try {
        result = settle(await work(endingWith(tx, () => ended)));
      } finally {
        ended = true;
      }
      await driver.setTenant(tx, setting, tenantId); // fails if the transaction was aborted
      return result;
    });
}
