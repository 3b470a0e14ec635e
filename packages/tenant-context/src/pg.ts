/**
 * `@keel/tenant-context/pg`: tenant transactions and the row-level security self-check on node-postgres
 * (`pg`), which also runs on Bun, Deno and Workers (over TCP sockets).
 *
 * @module
 */

import { endingWith } from "./_internal/ending-with.ts";
import type { Result } from "./_internal/external-types.ts";
import { refuse } from "./_internal/refusals.ts";
import { onSessions } from "./_internal/tenant-session.ts";
import { tenantTransactionOf } from "./_internal/tenant-transaction.ts";
import type { RlsCheck, RlsCheckOptions, RlsNotEnforced, RlsReport } from "./rls-check.ts";
import { checkRowLevelSecurity as check } from "./rls-check.ts";
import type { TenantTransaction, TenantTransactionOptions } from "./tenant-transaction.ts";

export { DatabaseConnectionLost } from "./connection-lost.ts";
export type { TenantTransaction, TenantTransactionOptions } from "./tenant-transaction.ts";

/** What the adapter needs of a `pg` client: `query`. A `pg.PoolClient` or `pg.Client` has it. */
export interface PgQueryable {
  /** Runs one parameterised statement and gives its rows. */
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** What the adapter needs of a checked-out `pg` client: `release`, and its `error` event. */
export interface PgPoolClientLike {
  /** Returns the client to its pool; with an error or `true`, the pool destroys the connection instead. */
  release(destroy?: Error | boolean): void;
  /** Listens for the client's `error` event, which pg emits when its connection dies. */
  on(event: "error", listener: (error: Error) => void): unknown;
  /** Removes a listener added with `on`. */
  removeListener(event: "error", listener: (error: Error) => void): unknown;
}

/** What the adapter needs of a `pg.Pool`: clients to check out and release. */
export interface PgPoolLike<Client extends PgQueryable> {
  /** Checks a client out of the pool, to be given back with its `release`. */
  connect(): Promise<Client & PgPoolClientLike>;
}

/** pg's connection, as a custom query (a "Submittable", the interface pg-cursor uses) writes to it. */
interface PgConnection {
  parse(query: { text: string }): void;
  bind(config: { values?: readonly string[] }): void;
  execute(config: object): void;
  sync(): void;
  readonly stream?: { cork?: () => void; uncork?: () => void };
}

const SET_TENANT = "select set_config($1, $2, true)";

/**
 * `BEGIN` and `set_config` in one write ending in one Sync, answered in one round trip: pg otherwise waits
 * for each statement's answer before it sends the next. The values go as parameters (Bind), never into
 * the SQL text. A custom query, as pg documents them for library authors (`client.query(submittable)`).
 */
class BeginWithTenant {
  callback: ((error: Error | null) => void) | undefined;
  readonly #values: readonly string[];

  constructor(setting: string, tenantId: string) {
    this.#values = [setting, tenantId];
  }

  submit(connection: PgConnection): null {
    connection.stream?.cork?.();
    try {
      connection.parse({ text: "BEGIN" });
      connection.bind({});
      connection.execute({});
      connection.parse({ text: SET_TENANT });
      connection.bind({ values: this.#values });
      connection.execute({});
      connection.sync();
    } finally {
      connection.stream?.uncork?.();
    }
    return null;
  }

  #settle(error: Error | null): void {
    const callback = this.callback;
    this.callback = undefined;
    callback?.(error);
  }

  handleError(error: Error): void {
    this.#settle(error);
  }
  handleReadyForQuery(): void {
    this.#settle(null);
  }
  // Answers to read and drop: BEGIN's and set_config's.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
  handleCopyData(): void {}
}

/** The `pg.Client` internals the fast paths look at: its connection, and whether it pipelines. */
function pgInternals(client: object): { pipeline: boolean; connection: PgConnection | undefined } {
  const { pipeline, connection } = client as { pipeline?: unknown; connection?: Partial<PgConnection> };
  const writable =
    typeof connection === "object" &&
    connection !== null &&
    typeof connection.parse === "function" &&
    typeof connection.bind === "function" &&
    typeof connection.execute === "function" &&
    typeof connection.sync === "function";
  return { pipeline: pipeline === true, connection: writable ? (connection as PgConnection) : undefined };
}

/**
 * Makes `withTenant(work)`: check out a client, `BEGIN` and `SELECT set_config(setting, tenantId, true)` in
 * one round trip, run `work`, then `COMMIT` (or `ROLLBACK` when `work` throws or returns an `err` Result):
 * three round trips around a one-query `work`. A client in pg's pipeline mode (`new pg.Pool({ pipeline:
 * true })`) sends `BEGIN` and the setting with `work`'s first query: two. When the server answers `COMMIT`
 * with `ROLLBACK` (a query failed inside and `work` caught it), it rejects with an error of code `25P02`.
 * `work` may not `release` the client, and its `query` throws a `TypeError` once `COMMIT` or `ROLLBACK` was
 * sent. The setting is transaction-local, so the pooled connection never carries it to the next request; a
 * client whose rollback failed is destroyed, not returned to the pool. A connection that dies during the
 * transaction (the server ended it, a timeout, a failover) makes it reject with `DatabaseConnectionLost`,
 * not crash the process: the client is watched for `error` while checked out (pg-pool removes its own
 * listener then), and destroyed. Outside a tenant it throws `TenantContextMissing`. Name the client type to
 * keep pg's typed `query` inside `work` (TypeScript cannot infer it through `pg.Pool`'s overloaded
 * `connect`): `createTenantTransaction<pg.PoolClient>(pool, ...)`.
 *
 * @example
 * ```ts no-run
 * import { createTenantContext } from "@keel/tenant-context";
 * import { createTenantTransaction } from "@keel/tenant-context/pg";
 * import pg from "pg";
 *
 * const tenants = createTenantContext<{ id: string }>();
 * const withTenant = createTenantTransaction<pg.PoolClient>(new pg.Pool(), { context: tenants });
 * const rows = await tenants.run({ id: "acme" }, () =>
 *   withTenant(async (client) => (await client.query("select * from tasks")).rows), // only acme's rows
 * );
 * ```
 */
export function createTenantTransaction<Client extends PgQueryable = PgQueryable>(
  pool: PgPoolLike<Client>,
  options: TenantTransactionOptions,
): TenantTransaction<Client> {
  return tenantTransactionOf(
    onSessions({
      async open(closing) {
        const client = await pool.connect();
        // Without a listener, a connection error while the client is checked out is an unhandled 'error'
        // event: it ends the process.
        let lost: Error | undefined;
        const onError = (error: Error) => {
          lost = error;
        };
        client.on("error", onError);
        const { pipeline, connection } = pgInternals(client);
        const query = client.query.bind(client) as (text: string, params?: unknown[]) => Promise<unknown>;
        // Once COMMIT or ROLLBACK is sent, the work's queries are refused; `release` is the transaction's.
        const tx = endingWith(client, closing, { release: refuse("release") });
        return {
          tx,
          pipelined: pipeline,
          begin: (setting, tenantId) =>
            pipeline || connection === undefined
              ? // Pipelined, both go out at once; otherwise (pg-native) one round trip each.
                pipeline
                ? Promise.all([query("BEGIN"), query(SET_TENANT, [setting, tenantId])])
                : query("BEGIN").then(() => query(SET_TENANT, [setting, tenantId]))
              : new Promise<void>((resolve, reject) => {
                  const begin = new BeginWithTenant(setting, tenantId);
                  begin.callback = (error) => (error === null ? resolve() : reject(error));
                  query(begin as never);
                }),
          commit: async () => ((await query("COMMIT")) as { command?: string | null }).command ?? undefined,
          rollback: () => query("ROLLBACK"),
          lost: () => lost,
          release(broken) {
            client.removeListener("error", onError);
            client.release(
              broken === undefined ? undefined : broken instanceof Error ? broken : new Error(String(broken)),
            );
          },
        };
      },
    }),
    options,
  );
}

/**
 * The row-level security self-check (`checkRowLevelSecurity` of the main entry) for a `pg` pool or
 * client: run it at start-up, connected as the service's role.
 *
 * @example
 * ```ts no-run
 * import { checkRowLevelSecurity } from "@keel/tenant-context/pg";
 * import pg from "pg";
 *
 * const report = await checkRowLevelSecurity(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * if (report.isErr()) throw report.error; // names every problem
 * ```
 */
export const checkRowLevelSecurity: RlsCheck<PgQueryable> = (
  db: PgQueryable,
  options?: RlsCheckOptions,
): Promise<Result<RlsReport, RlsNotEnforced>> =>
  check(async (text, params) => (await db.query(text, [...params])).rows, options);
