/**
 * The SQL that makes PostgreSQL itself enforce tenant isolation on a table: row-level security enabled and
 * forced (so even the table's owner is bound by it), and one policy comparing the tenant column with the
 * transaction-local setting that `createTenantTransaction` sets.
 *
 * @module
 */
import { checkSettingName, DEFAULT_SETTING, quoteIdentifier, quoteTable } from "./_internal/sql-names.ts";

/** Options for {@link tenantPolicySql}. */
export interface TenantPolicyOptions {
  /** `"tasks"` or `"app.tasks"`: a lower-case identifier, or schema and table. */
  readonly table: string;
  /** The tenant column; defaults to `tenant_id`. */
  readonly column?: string;
  /** Its type, to compare without a cast on the column (so an index on it is used); defaults to `text`. */
  readonly columnType?: "text" | "uuid" | "bigint" | "integer";
  /** The setting that carries the current tenant; defaults to `app.tenant_id`. */
  readonly setting?: string;
}

/**
 * The statements that put a table under tenant isolation, for a migration. Outside a tenant transaction the
 * setting is unset (or empty, after one ended on the same connection) and `NULLIF(...)` makes it `NULL`: a
 * query sees **no rows** and cannot insert any, rather than failing or seeing all. Re-running it is safe
 * (the policy is dropped and made again). Identifiers are checked and quoted; a bad one throws here.
 *
 * @example
 * ```ts
 * import { tenantPolicySql } from "@keel/tenant-context";
 * const sql = tenantPolicySql({ table: "tasks", columnType: "uuid" });
 * console.assert(sql.includes('ALTER TABLE "tasks" FORCE ROW LEVEL SECURITY;'));
 * console.assert(sql.includes("NULLIF(current_setting('app.tenant_id', true), '')::uuid"));
 * ```
 */
export function tenantPolicySql(options: TenantPolicyOptions): string {
  const table = quoteTable(options.table);
  const column = quoteIdentifier(options.column ?? "tenant_id", "column");
  const setting = checkSettingName(options.setting ?? DEFAULT_SETTING);
  const type = options.columnType ?? "text";
  if (!["text", "uuid", "bigint", "integer"].includes(type))
    throw new TypeError(`columnType "${type}" is not supported`);
  const policy = quoteIdentifier(`${options.table.split(".").pop()}_tenant_isolation`, "policy");
  const current = `NULLIF(current_setting('${setting}', true), '')::${type}`;
  return [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;`,
    `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;`,
    `DROP POLICY IF EXISTS ${policy} ON ${table};`,
    `CREATE POLICY ${policy} ON ${table} USING (${column} = ${current}) WITH CHECK (${column} = ${current});`,
  ].join("\n");
}
