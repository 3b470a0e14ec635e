/**
 * @module
 * The same database on PGlite, PostgreSQL in process: what `npm start` uses when no `DATABASE_URL` is set,
 * so the service needs nothing installed. Node, Bun and Deno (Workers refuse to compile WebAssembly at run
 * time). Migrated as PGlite's superuser, then used as the app role for good: PGlite has one session.
 */
import { PGlite } from "@electric-sql/pglite";
import type { SqlQuery, TenantTransactionOptions } from "@keel/tenant-context";
import { createTenantTransaction } from "@keel/tenant-context/pglite";
import { type Database, requireRowLevelSecurity } from "./database.ts";
import { APP_ROLE, migrate } from "./migrations.ts";

type Queryable = Pick<PGlite, "query" | "exec">;
const queryOf =
  (db: Queryable): SqlQuery =>
  async (text, params) =>
    (await db.query<Record<string, unknown>>(text, [...params])).rows;

export async function openPglite(context: TenantTransactionOptions["context"]): Promise<Database> {
  const db = new PGlite();
  const schema = "public";
  await db.transaction((tx) =>
    migrate({ exec: async (sql) => void (await tx.exec(sql)), query: queryOf(tx) }, schema),
  );
  await db.exec(`set role ${APP_ROLE}`);
  await requireRowLevelSecurity(queryOf(db), schema);
  const withTenant = createTenantTransaction(db, { context });
  return {
    withTenant: (work) => withTenant((tx) => work(queryOf(tx))),
    directory: queryOf(db),
    ping: async () => void (await db.query("select 1")),
    close: () => db.close(),
  };
}
