/**
 * @module
 * Where the tenants' data lives: PostgreSQL behind row-level security. `DATABASE_URL` is an admin URL: it
 * runs the migration, then the app connects as a role that owns nothing. Every query runs inside a tenant
 * transaction, and the start-up self-check refuses to serve when isolation is not in force. (Without a
 * server, `pglite-database.ts` gives the same on PGlite.)
 */
import {
  checkRowLevelSecurity,
  type SqlQuery,
  type TenantTransactionOptions,
  tenantPolicySql,
} from "@keel/tenant-context";
import { createTenantTransaction } from "@keel/tenant-context/postgres";
import postgres from "postgres";

/** What the routes need: run SQL inside the current tenant's transaction. */
export interface Database {
  withTenant<T>(work: (query: SqlQuery) => Promise<T>): Promise<T>;
}

/** Settings from the environment. */
export interface DatabaseSettings {
  /** An admin connection string; unset means PGlite in process. */
  readonly DATABASE_URL?: string | undefined;
  /** The schema to use on the real server; defaults to `tenant_demo`. */
  readonly DB_SCHEMA?: string | undefined;
}

export const APP_ROLE = "tenant_demo_app";

/** The schema, the tenant table under row-level security, and the app role's grants. */
export function migration(schema: string): string {
  return `
    create schema if not exists ${schema};
    create table if not exists ${schema}.projects (
      id uuid primary key default gen_random_uuid(),
      tenant_id text not null default current_setting('app.tenant_id', true),
      name text not null
    );
    ${tenantPolicySql({ table: `${schema}.projects` })}
    grant usage on schema ${schema} to ${APP_ROLE};
    grant select, insert, update, delete on ${schema}.projects to ${APP_ROLE};
  `;
}

/** The app role: may log in, is not a superuser, cannot bypass row-level security, owns nothing. */
export const createRole = `
  do $$ begin
    create role ${APP_ROLE} login nosuperuser nobypassrls;
  exception when duplicate_object or unique_violation then null;
  end $$;`;

/** Rejects, naming every problem, when row-level security is not in force for the app role. */
export async function requireRowLevelSecurity(query: SqlQuery, schema: string): Promise<void> {
  const report = await checkRowLevelSecurity(query, { schemas: [schema] });
  if (report.isErr()) throw report.error;
}

/**
 * Opens (and migrates) the real server, through postgres.js (which runs on Node, Bun, Deno and Workers).
 * On Workers, `perRequest` gives each transaction its own connection: a Worker ties a socket to the
 * request that opened it, so nothing may be shared across requests. Elsewhere a pool is shared, as usual.
 */
export async function openPostgres(
  context: TenantTransactionOptions["context"],
  settings: DatabaseSettings,
  options: { readonly perRequest?: boolean } = {},
): Promise<Database> {
  const adminUrl = new URL(settings.DATABASE_URL ?? "");
  if (adminUrl.username === "") adminUrl.username = "postgres";
  const schema = settings.DB_SCHEMA ?? "tenant_demo";
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new Error("DB_SCHEMA must be a lower-case SQL identifier");
  const quiet = { onnotice: () => {} };
  const admin = postgres(adminUrl.href, { ...quiet, max: 1 });
  try {
    // One migration at a time, however many processes (or first Worker requests) start together.
    await admin.begin(async (tx) => {
      await tx.unsafe("select pg_advisory_xact_lock(hashtext('tenant-context-hono migration'))");
      await tx.unsafe(createRole);
      await tx.unsafe(migration(schema));
    });
  } finally {
    await admin.end();
  }
  const appUrl = new URL(adminUrl.href);
  appUrl.username = APP_ROLE;
  // The app's SQL names tables without a schema: the connection's search path supplies it.
  const connect = (max: number) =>
    postgres(appUrl.href, { ...quiet, max, connection: { search_path: schema } });
  const queryOf =
    (sql: postgres.Sql | postgres.TransactionSql): SqlQuery =>
    async (text, params) =>
      await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[]);

  const check = connect(1);
  try {
    await requireRowLevelSecurity(queryOf(check), schema);
  } finally {
    await check.end();
  }

  if (options.perRequest === true) {
    return {
      async withTenant(work) {
        const sql = connect(1);
        try {
          return await createTenantTransaction<postgres.TransactionSql>(sql, { context })((tx) =>
            work(queryOf(tx)),
          );
        } finally {
          await sql.end();
        }
      },
    };
  }
  const pool = connect(10);
  const withTenant = createTenantTransaction<postgres.TransactionSql>(pool, { context });
  return { withTenant: (work) => withTenant((tx) => work(queryOf(tx))) };
}
