import { DatabaseConnectionLost } from "../connection-lost.ts";
import { isConnectionLost } from "./connection-lost.ts";
import type { TenantRunner } from "./tenant-transaction.ts";

/**
 * How a driver whose connection Keel holds runs a tenant transaction (pg, postgres.js): four statements,
 * `BEGIN`, the setting, the work, `COMMIT`, in as few round trips as the driver allows.
 */
export interface TenantSessionDriver<Tx> {
  /**
   * A connection of its own for one transaction. `closing()` is true from the moment `COMMIT` or `ROLLBACK`
   * is sent: from then on `tx` must refuse the work's queries (see `endingWith`).
   */
  open(closing: () => boolean): Promise<TenantSession<Tx>>;
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

/**
 * The rejection of a tenant transaction whose `COMMIT` PostgreSQL answered with `ROLLBACK`: a query failed
 * inside and the work went on (it caught the error). SQLSTATE 25P02, as PostgreSQL names that state.
 */
function abortedAtCommit(): Error {
  return Object.assign(
    new Error(
      "current transaction is aborted: a query inside the tenant transaction failed and the work went on, so COMMIT rolled it back",
    ),
    { code: "25P02" },
  );
}

/**
 * Runs tenant transactions on a driver whose connection Keel holds: begin (pipelined or awaited), the work,
 * COMMIT with its tag read, or ROLLBACK.
 */
export function onSessions<Tx>(driver: TenantSessionDriver<Tx>): TenantRunner<Tx> {
  return async (setting, tenantId, work, settle) => {
    let closing = false;
    const session = await driver.open(() => closing);
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
      const result = settle(await work(session.tx));
      // Pipelined, COMMIT goes out without waiting for BEGIN's answer; with nothing else to send, one flight.
      closing = true;
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
          closing = true;
          await session.rollback();
        } catch (rollbackError) {
          const lostNow = session.lost();
          broken = lostNow ?? rollbackError ?? new Error("ROLLBACK failed");
          if (lostNow !== undefined) throw new DatabaseConnectionLost({ cause: lostNow });
        }
      }
      throw failure;
    } finally {
      closing = true;
      session.release(broken);
    }
  };
}
