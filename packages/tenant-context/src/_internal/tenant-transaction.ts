import { AsyncLocalStorage } from "node:async_hooks";
import { DatabaseConnectionLost } from "../connection-lost.ts";
import type { TenantContext, TenantLike } from "../tenant-context.ts";
import type { TenantTransaction, TenantTransactionOptions } from "../tenant-transaction.ts";
import { isConnectionLost } from "./connection-lost.ts";
import { checkSettingName, DEFAULT_SETTING } from "./sql-names.ts";

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
 * How a driver whose connection Keel holds runs a tenant transaction (pg, postgres.js): four statements,
 * `BEGIN`, the setting, the work, `COMMIT`, in as few round trips as the driver allows.
 */
export interface TenantSessionDriver<Tx> {
  /** A connection of its own for one transaction. */
  open(): Promise<TenantSession<Tx>>;
}

/** One transaction's connection; see `TenantSessionDriver`. */
export interface TenantSession<Tx> {
  /** What `work` gets. */
  readonly tx: Tx;
  /**
   * Sends `BEGIN` and `set_config(setting, tenantId, true)`. When `pipelined`, the driver sends what it is
   * given without waiting for answers, in order, so this is not awaited before the work: it goes out in
   * the same round trip as the work's first query (which fails if this did).
   */
  begin(setting: string, tenantId: string): Promise<unknown>;
  readonly pipelined: boolean;
  /** `COMMIT`; resolves to the server's command tag: `ROLLBACK` when a query had failed inside. */
  commit(): Promise<string | undefined>;
  rollback(): Promise<unknown>;
  /** The connection's own error, when the driver reported it lost (not through a query). */
  lost(): unknown;
  /** Gives the connection back; `broken` (an error) when it must not be reused: lost, or not rolled back. */
  release(broken: unknown): void;
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
 * The rejection of a tenant transaction whose `COMMIT` PostgreSQL answered with `ROLLBACK`: a query failed
 * inside and the work went on (it caught the error). SQLSTATE 25P02, as PostgreSQL names that state.
 */
export function abortedAtCommit(): Error {
  return Object.assign(
    new Error(
      "current transaction is aborted: a query inside the tenant transaction failed and the work went on, so COMMIT rolled it back",
    ),
    { code: "25P02" },
  );
}

/** Runs `body` on a session: begin (pipelined or awaited), the work, COMMIT with its tag read, or ROLLBACK. */
async function runOnSession<Tx, T>(
  driver: TenantSessionDriver<Tx>,
  setting: string,
  tenantId: string,
  body: (tx: Tx) => Promise<T>,
): Promise<T> {
  const session = await driver.open();
  let begun: { readonly failed: unknown } | undefined;
  const beginning = session.begin(setting, tenantId).then(
    () => {
      begun = { failed: undefined };
    },
    (failed: unknown) => {
      begun = { failed: failed ?? new Error("BEGIN failed") };
    },
  );
  let ended = false; // committed, or the server rolled back at COMMIT
  let broken: unknown;
  try {
    if (!session.pipelined) await beginning;
    if (begun?.failed !== undefined) throw begun.failed;
    const result = await body(session.tx);
    // Pipelined, COMMIT goes out without waiting for BEGIN's answer; with nothing else to send, one flight.
    const tag = await session.commit();
    ended = true;
    await beginning;
    if (begun?.failed !== undefined) throw begun.failed;
    if (tag === "ROLLBACK") throw abortedAtCommit();
    return result;
  } catch (thrown) {
    await beginning; // its failure explains the work's ("current transaction is aborted")
    const failure = begun?.failed ?? thrown;
    const lost = session.lost();
    if (lost !== undefined) {
      broken = lost;
      throw new DatabaseConnectionLost({ cause: lost });
    }
    if (isConnectionLost(failure)) {
      broken = failure; // nothing to roll back on, and nothing to give back
      throw failure;
    }
    if (!ended) {
      try {
        await session.rollback();
      } catch (rollbackError) {
        const lostNow = session.lost();
        broken = lostNow ?? rollbackError ?? new Error("ROLLBACK failed");
        if (lostNow !== undefined) throw new DatabaseConnectionLost({ cause: lostNow });
      }
    }
    throw failure;
  } finally {
    session.release(broken);
  }
}

/**
 * Runs `work` in a transaction that first sets the current tenant (throws `TenantContextMissing` outside one, and a
 * `TypeError` inside another tenant transaction). The transaction commits when `work` resolves, and rolls
 * back when it throws or returns an `err` Result (which is then returned as it is). PostgreSQL turns the
 * COMMIT of a transaction in which a query failed into a rollback: a failure that `work` caught and ignored
 * surfaces as a rejection instead (from COMMIT's answer, or, on a `TransactionDriver`, from setting the
 * tenant once more before it). A connection that died under the transaction rejects with
 * `DatabaseConnectionLost`.
 */
export async function runTenantTransaction<Tx, T>(
  driver: TransactionDriver<Tx> | TenantSessionDriver<Tx>,
  context: Pick<TenantContext<TenantLike>, "currentOrThrow">,
  setting: string,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  const tenant = context.currentOrThrow();
  if (insideTransaction.getStore() === true) {
    throw new TypeError("tenant transaction inside a tenant transaction: use the transaction you have");
  }
  let failed: { readonly result: T } | undefined;
  const body = async (tx: Tx): Promise<T> => {
    const result = await work(tx);
    if (isErrResult(result)) {
      failed = { result };
      throw rollbackForErr;
    }
    return result;
  };
  try {
    return await insideTransaction.run(true, () =>
      "open" in driver
        ? runOnSession(driver, setting, tenant.id, body)
        : driver.transaction(async (tx) => {
            await driver.setTenant(tx, setting, tenant.id);
            const result = await body(tx);
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
  driver: TransactionDriver<Tx> | TenantSessionDriver<Tx>,
  options: TenantTransactionOptions,
): TenantTransaction<Tx> {
  const setting = checkSettingName(options.setting ?? DEFAULT_SETTING);
  return (work) => runTenantTransaction(driver, options.context, setting, work);
}
