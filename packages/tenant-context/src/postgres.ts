/**
 * `@keel/tenant-context/postgres`: tenant transactions and the row-level security self-check on
 * postgres.js (`postgres`), which also runs on Bun, Deno and Workers.
 *
 * @module
 */
import { endingMember, guardedDescriptor } from "./_internal/ending-with.ts";
import type { Result } from "./_internal/external-types.ts";
import { lateQuery, refuse } from "./_internal/refusals.ts";
import { onSessions } from "./_internal/tenant-session.ts";
import { tenantTransactionOf } from "./_internal/tenant-transaction.ts";
import { inTransactions } from "./_internal/transaction-driver.ts";
import type { RlsCheck, RlsCheckOptions, RlsNotEnforced, RlsReport } from "./rls-check.ts";
import { checkRowLevelSecurity as check } from "./rls-check.ts";
import type { TenantTransaction, TenantTransactionOptions } from "./tenant-transaction.ts";

export { DatabaseConnectionLost } from "./connection-lost.ts";
export type { TenantTransaction, TenantTransactionOptions } from "./tenant-transaction.ts";

/** What the adapter needs of a postgres.js `sql` (or transaction): `unsafe` with parameters. */
export interface PostgresQueryable {
  /** Runs one statement given as text, with its parameters, and gives its rows. */
  unsafe(query: string, parameters?: never[]): PromiseLike<readonly Record<string, unknown>[]>;
}

/** A reserved postgres.js connection (`sql.reserve()`): queries, and `release`. */
export interface PostgresReservedLike extends PostgresQueryable {
  /** Gives the reserved connection back to the pool. */
  release(): void;
}

/**
 * What the adapter needs of a postgres.js `sql`: `reserve` (postgres.js 3.4+), a connection on which it
 * pipelines the transaction's statements; or else `begin`, which commits or rolls back for it.
 */
export interface PostgresLike<Tx extends PostgresQueryable> {
  /** Runs `work` in a transaction: commits when it resolves, rolls back when it rejects. */
  begin<T>(work: (tx: Tx) => Promise<T>): PromiseLike<unknown>;
  /** Reserves one connection of the pool (postgres.js 3.4+), for the adapter's pipelined transaction. */
  reserve?(): PromiseLike<PostgresReservedLike>;
}

const SET_TENANT = "select set_config($1, $2, true)";

// postgres.js's query objects, beyond the PromiseLike the public interface names: sent at once by
// `execute()`, answered with the command tag.
interface PendingQuery extends PromiseLike<{ readonly command?: string }> {
  execute(): PendingQuery;
}
type Unsafe = (query: string, parameters?: unknown[], options?: { prepare?: boolean }) => PendingQuery;

// The call sites' stacks, as postgres.js keeps them for the errors of tagged-template queries: made here,
// where the user's frame is within postgres.js's four, which the guard's own frames would push out.
const origins = new WeakMap<object, string>();

function originOf(strings: object): string {
  let origin = origins.get(strings);
  if (origin === undefined) {
    const errors = Error as { stackTraceLimit?: number | undefined };
    const limit = errors.stackTraceLimit;
    errors.stackTraceLimit = 4;
    origin = new Error().stack ?? "";
    errors.stackTraceLimit = limit;
    origins.set(strings, origin);
  }
  return origin;
}

/**
 * A postgres.js `sql` as a transaction's `work` gets it: once `ended()`, its queries (tagged template,
 * `unsafe`) are rejected when they are sent and its methods throw `lateQuery()` (see `endingWith`).
 * postgres.js sends a query when it is first awaited, which can be after the transaction, through the
 * `handler` it was made with: the one place that sees every send (then, execute, forEach, cursor). `file`
 * is refused: it reads its file before it sends, out of the guard's sight. One proxy, so that a failing
 * query's stack, which postgres.js cuts at four frames, still reaches the caller's line.
 */
function guardSends<Sql extends object>(sql: Sql, ended: () => boolean): Sql {
  const guard = (made: unknown, strings: unknown): unknown => {
    const query = made as { handler?: unknown };
    if (!(made instanceof Promise) || typeof query.handler !== "function") return made;
    const send = query.handler as ((sent: unknown) => unknown) & { debug?: unknown };
    query.handler = Object.assign(
      (sent: { reject(error: unknown): void }) => (ended() ? sent.reject(lateQuery()) : send(sent)),
      { debug: send.debug },
    );
    if (!send.debug && Array.isArray(strings) && "raw" in strings) {
      Object.defineProperty(made, "origin", { value: originOf(strings), configurable: true });
    }
    return made;
  };
  const member = (target: Sql, key: PropertyKey): unknown => {
    if (key === "file") return refuse("file");
    const value: unknown = Reflect.get(target, key);
    if (key !== "unsafe" || typeof value !== "function") return endingMember(target, key, ended);
    return (...args: unknown[]) => {
      if (ended()) throw lateQuery();
      return guard(value.apply(target, args), undefined);
    };
  };
  return new Proxy(sql, {
    apply(target, self, args) {
      if (ended()) throw lateQuery();
      return guard(Reflect.apply(target as never, self, args), args[0]);
    },
    get: (target, key) => member(target, key),
    getOwnPropertyDescriptor: (target, key) => guardedDescriptor(target, key, member),
  });
}

/**
 * The reserved connection as the transaction `work` gets: what postgres.js's transaction `sql` has beyond
 * it, `savepoint` (as postgres.js does it: `SAVEPOINT`, then `ROLLBACK TO` it when the callback throws),
 * and no `release` (the transaction gives the connection back when it ends). Once `ended()`, a query of it
 * is rejected when sent and any of its methods throws (see `guardSends`, `endingWith`): sent, it would run
 * on the connection wherever it is by then, perhaps inside another tenant's transaction.
 */
function asTransaction<Tx>(reserved: PostgresReservedLike, unsafe: Unsafe, ended: () => boolean): Tx {
  let savepoints = 0;
  const tx = guardSends(reserved, ended);
  async function savepoint(name: unknown, work?: unknown): Promise<unknown> {
    const callback = typeof name === "function" ? name : work;
    if (typeof callback !== "function") throw new TypeError("savepoint needs a callback");
    const label = `"s${savepoints++}${typeof name === "string" ? `_${name.replaceAll('"', '""')}` : ""}"`;
    await unsafe(`savepoint ${label}`);
    try {
      const result: unknown = callback(tx);
      return await (Array.isArray(result) ? Promise.all(result) : result);
    } catch (error) {
      // Once the transaction ended, ROLLBACK TO would reach whatever transaction holds the connection now.
      if (!ended()) await unsafe(`rollback to ${label}`);
      throw error;
    }
  }
  Object.defineProperties(reserved, {
    savepoint: { value: savepoint, configurable: true },
    prepare: { value: refuse("prepare (two-phase commit)"), configurable: true },
    release: { value: refuse("release"), configurable: true },
  });
  return tx as unknown as Tx;
}

/**
 * Makes `withTenant(work)` on postgres.js: on a reserved connection (`sql.reserve()`), `BEGIN` and `select
 * set_config(setting, tenantId, true)` go out together in one round trip, then `work`'s queries once both
 * are answered, then `COMMIT`: three round trips around a one-query `work`. (`work`'s first query is not
 * sent behind them: postgres.js 3.4.9 never settles a query it fails to build, such as one with an invalid
 * date string for a `timestamptz` parameter, when it goes out behind a statement still waiting for its
 * answer, and that would hold the connection for good: porsager/postgres#1082.) It rolls back when `work`
 * throws or returns an `err` Result; when the server answers `COMMIT` with `ROLLBACK` (a query failed inside
 * and `work` caught it), it rejects with an error of code `25P02`. `work` gets the connection as a
 * transaction: tagged template, `unsafe`, `savepoint`; not `prepare` (two-phase commit), `release` or `file`;
 * once `COMMIT` or `ROLLBACK` was sent, its methods throw a `TypeError` and a query of it first awaited then
 * is rejected with one. With `prepare: false` postgres.js describes every statement with parameters first,
 * one more round trip. An `sql` without `reserve` runs on `sql.begin`. A connection lost during the transaction rejects it with
 * `DatabaseConnectionLost`; postgres.js 3.4.9 may then fail or hang the next transaction on that `sql`
 * (porsager/postgres#1216, #1186; see the README). Name the transaction type to keep postgres.js's tagged
 * template inside `work` (TypeScript cannot infer it through the overloaded `begin`):
 * `createTenantTransaction<postgres.TransactionSql>(sql, ...)`.
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
  if (typeof sql.reserve !== "function") {
    return tenantTransactionOf(
      inTransactions({
        transaction: async <T>(body: (tx: Tx) => Promise<T>): Promise<T> => (await sql.begin(body)) as T,
        // As with `reserve`: Keel's savepoint, and the work's queries refused when sent after it settled.
        guard: (tx, ended) => asTransaction<Tx>(tx as never, tx.unsafe.bind(tx) as unknown as Unsafe, ended),
        setTenant: async (tx: Tx, name: string, tenantId: string) =>
          await tx.unsafe(SET_TENANT, [name, tenantId] as never[]),
      }),
      options,
    );
  }
  const reserve = sql.reserve.bind(sql);
  return tenantTransactionOf(
    onSessions({
      async open(closing) {
        const reserved = await reserve();
        const release = reserved.release.bind(reserved);
        const unsafe = reserved.unsafe.bind(reserved) as unknown as Unsafe;
        return {
          tx: asTransaction<Tx>(reserved, unsafe, closing),
          // Answered before `work` runs: a query of `work` that postgres.js fails to build behind them would
          // reject one of them instead and never settle itself, keeping the connection (porsager/postgres#1082).
          pipelined: false,
          // Sent now, in this order, in one round trip: `execute()` queues each at once.
          begin: (setting, tenantId) =>
            Promise.all([
              unsafe("begin").execute(),
              // Prepared (unless the sql has prepare: false), so described once per connection, not each time.
              unsafe(SET_TENANT, [setting, tenantId], { prepare: true }).execute(),
            ]),
          commit: async () => (await unsafe("commit").execute()).command,
          rollback: async () => await unsafe("rollback").execute(),
          lost: () => undefined,
          // A lost connection is not given back: postgres.js has closed it, and would reuse it as open.
          release: (broken) => {
            if (broken === undefined) release();
          },
        };
      },
    }),
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
export const checkRowLevelSecurity: RlsCheck<PostgresQueryable> = (
  sql: PostgresQueryable,
  options?: RlsCheckOptions,
): Promise<Result<RlsReport, RlsNotEnforced>> =>
  check(async (text, params) => await sql.unsafe(text, [...params] as never[]), options);
