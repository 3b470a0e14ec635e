/**
 * @module
 * The same database on PGlite, PostgreSQL in process: what `npm start` uses when no `DATABASE_URL` is set,
 * so the example needs nothing installed. Node, Bun and Deno (not Workers).
 */
import { PGlite } from "@electric-sql/pglite";
import type { SqlQuery, TenantTransactionOptions } from "@keel/tenant-context";
import { createTenantTransaction } from "@keel/tenant-context/pglite";
import { APP_ROLE, createRole, type Database, migration, requireRowLevelSecurity } from "./database.ts";

/** Migrated as PGlite's superuser, then used as the app role for good (PGlite has one session). */
export async function openPglite(context: TenantTransactionOptions["context"]): Promise<Database> {
  const db = new PGlite();
  await db.exec(`${createRole}\n${migration("public")}\nset role ${APP_ROLE};`);
  const query: SqlQuery = async (text, params) =>
    (await db.query<Record<string, unknown>>(text, [...params])).rows;
  await requireRowLevelSecurity(query, "public");
  const withTenant = createTenantTransaction(db, { context });
  return {
    withTenant: (work) =>
      withTenant((tx) =>
        work(async (text, params) => (await tx.query<Record<string, unknown>>(text, [...params])).rows),
      ),
  };
}
