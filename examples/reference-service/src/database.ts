/**
 * @module
 * Where the tenants' data lives: PostgreSQL behind row-level security, through postgres.js (which runs on
 * Node, Bun, Deno and Workers' TCP sockets). The admin URL runs the migrations; the app then connects as
 * `keel_reference_app`, a role that owns nothing, and every tenant query runs inside a tenant transaction.
 * Start-up refuses to serve when `checkRowLevelSecurity` finds isolation not in force. Without a server,
 * `pglite-database.ts` gives the same on PGlite.
 */
import { checkRowLevelSecurity, type SqlQuery, type TenantTransactionOptions } from "@keel/tenant-context";
import { createTenantTransaction } from "@keel/tenant-context/postgres";
import postgres from "postgres";
import { APP_ROLE, migrate } from "./migrations.ts";

/** What the routes need from the database. */
export interface Database {
  /** Runs `work` in one transaction of the current tenant: row-level security shows only its rows. */
  withTenant<T>(work: (query: SqlQuery) => Promise<T>): Promise<T>;
  /** A query on the tenant directory, outside any tenant (no tenant rows are visible there). */
  directory: SqlQuery;
  /** Resolves when the database answers (for `/readyz`). */
  ping(): Promise<void>;
  /** Closes the pool, waiting for the queries under way. */
  close(): Promise<void>;
}

/** How to reach the server. */
export interface PostgresSettings {
  /** An admin connection string (runs the migrations). */
  readonly adminUrl: URL;
  /** The app role's connection string; by default the admin URL with the user `keel_reference_app`. */
  readonly appUrl?: URL | undefined;
  /** The schema of the service's tables: a plain identifier (`DB_SCHEMA` is checked by the config). */
  readonly schema: string;
  /**
   * Workers: one connection per transaction. A Worker ties a socket to the request that opened it, so
   * nothing may be shared across requests. Elsewhere a pool of `poolSize` is shared.
   */
  readonly perRequest?: boolean;
  readonly poolSize?: number;
}

/** Rejects, naming every problem, when row-level security is not in force for the app role. */
export async function requireRowLevelSecurity(query: SqlQuery, schema: string): Promise<void> {
  const report = await checkRowLevelSecurity(query, { schemas: [schema] });
  if (report.isErr()) throw report.error;
}

const quiet = { onnotice: () => {} };
// Prepared: postgres.js describes an unprepared statement with parameters before it runs it, one more
// round trip each time, where a prepared one is described once per connection. The SQL is a few fixed texts.
const queryOf =
  (sql: postgres.Sql | postgres.TransactionSql): SqlQuery =>
  async (text, params) =>
    await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true });

/** Migrates, checks isolation, and opens the app role's pool. */
export async function openPostgres(
  context: TenantTransactionOptions["context"],
  settings: PostgresSettings,
): Promise<Database> {
  const { schema } = settings;
  const adminUrl = new URL(settings.adminUrl.href);
  if (adminUrl.username === "") adminUrl.username = "postgres";
  const admin = postgres(adminUrl.href, { ...quiet, max: 1 });
  try {
    await admin.begin((tx) =>
      migrate({ exec: async (sql) => void (await tx.unsafe(sql)), query: queryOf(tx) }, schema),
    );
  } finally {
    await admin.end();
  }
  const appUrl = new URL((settings.appUrl ?? adminUrl).href);
  if (settings.appUrl === undefined) {
    appUrl.username = APP_ROLE;
    appUrl.password = "";
  }
  // The SQL names tables without a schema: the connection's search path supplies it.
  const connect = (max: number) =>
    postgres(appUrl.href, { ...quiet, max, connection: { search_path: schema } });

  const check = connect(1);
  try {
    await requireRowLevelSecurity(queryOf(check), schema);
  } finally {
    await check.end();
  }

  if (settings.perRequest === true) {
    const once = async <T>(work: (sql: postgres.Sql) => Promise<T>): Promise<T> => {
      const sql = connect(1);
      try {
        return await work(sql);
      } finally {
        await sql.end();
      }
    };
    return {
      withTenant: (work) =>
        once((sql) =>
          createTenantTransaction<postgres.TransactionSql>(sql, { context })((tx) => work(queryOf(tx))),
        ),
      directory: (text, params) => once((sql) => queryOf(sql)(text, params)),
      ping: () => once(async (sql) => void (await sql`select 1`)),
      close: async () => {},
    };
  }
  const pool = connect(settings.poolSize ?? 10);
  const withTenant = createTenantTransaction<postgres.TransactionSql>(pool, { context });
  return {
    withTenant: (work) => withTenant((tx) => work(queryOf(tx))),
    directory: queryOf(pool),
    ping: async () => void (await pool`select 1`),
    close: () => pool.end({ timeout: 5 }),
  };
}
