/** Node, Bun and Deno: the real server when `DATABASE_URL` is set, PGlite in process otherwise. */
import type { TenantTransactionOptions } from "@keel/tenant-context";
import { type Database, type DatabaseSettings, openPostgres } from "./database.ts";
import { openPglite } from "./pglite-database.ts";

export function openDatabase(
  context: TenantTransactionOptions["context"],
  settings: DatabaseSettings,
): Promise<Database> {
  return settings.DATABASE_URL === undefined || settings.DATABASE_URL === ""
    ? openPglite(context)
    : openPostgres(context, settings);
}
