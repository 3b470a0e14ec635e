// Identifiers and setting names go into SQL text (DDL cannot take parameters), so they are checked against
// a strict pattern and quoted; anything else is refused at set-up.
const identifier = /^[a-z_][a-z0-9_$]{0,62}$/;
const settingName = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/;

/** `"name"` for a lower-case SQL identifier; throws a `TypeError` naming `what` for anything else. */
export function quoteIdentifier(name: string, what: string): string {
  if (!identifier.test(name)) {
    throw new TypeError(`${what} "${name}" must be a lower-case SQL identifier ([a-z_][a-z0-9_$]*)`);
  }
  return `"${name}"`;
}

/** `"schema"."table"` (or `"table"`) from `schema.table` (or `table`). */
export function quoteTable(table: string): string {
  const parts = table.split(".");
  if (parts.length > 2) throw new TypeError(`table "${table}" must be "table" or "schema.table"`);
  return parts.map((part) => quoteIdentifier(part, "table")).join(".");
}

/** The setting name, checked: a custom setting must be `prefix.name` (e.g. `app.tenant_id`). */
export function checkSettingName(setting: string): string {
  if (!settingName.test(setting)) {
    throw new TypeError(`setting "${setting}" must look like "app.tenant_id" (lower case, one dot)`);
  }
  return setting;
}

/** The default setting that carries the tenant id inside a transaction. */
export const DEFAULT_SETTING = "app.tenant_id";
