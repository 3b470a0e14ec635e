/**
 * @module
 * A start-up self-check that row-level security is really in force for the role a service connects as: it
 * reads the PostgreSQL catalog and names every problem, instead of finding out from a leaked row.
 */
import { err, ok, type Result, TaggedError, type TaggedErrorClass } from "@keel/result";
import { checkSettingName, DEFAULT_SETTING, quoteIdentifier } from "./_internal/sql-names.ts";

/** Runs one parameterised query and gives its rows: what the driver subpaths adapt their clients to. */
export type SqlQuery = (
  text: string,
  params: readonly unknown[],
) => Promise<readonly Record<string, unknown>[]>;

/** Options for {@link checkRowLevelSecurity}. */
export interface RlsCheckOptions {
  /** The tenant column: every table that has it is a tenant table. Defaults to `tenant_id`. */
  readonly column?: string;
  /** The setting the policies must read; defaults to `app.tenant_id`. */
  readonly setting?: string;
  /** Only look at tables in these schemas; by default every schema but PostgreSQL's own. */
  readonly schemas?: readonly string[];
}

/** What the check found: the tenant tables it checked, as `schema.table`. */
export interface RlsReport {
  readonly tables: readonly string[];
}

// A typed constant, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const RlsNotEnforcedBase: TaggedErrorClass<"RlsNotEnforced"> = /* @__PURE__ */ TaggedError("RlsNotEnforced");

/**
 * Row-level security is not in force for the connecting role; `problems` names each reason.
 *
 * @example
 * ```ts
 * import { RlsNotEnforced } from "@keel/tenant-context";
 * const error = new RlsNotEnforced({ problems: ["role app is a superuser"] });
 * console.assert(error.message.includes("superuser"));
 * ```
 */
export class RlsNotEnforced extends RlsNotEnforcedBase<{ readonly problems: readonly string[] }> {
  constructor(fields: { problems: readonly string[] }) {
    super({ ...fields, message: `Row-level security is not in force: ${fields.problems.join("; ")}` });
  }
}

const roleSql =
  "select current_user as name, rolsuper, rolbypassrls from pg_roles where rolname = current_user";

// Every ordinary or partitioned table outside the system schemas that has the tenant column, with its
// row-level security flags, whether the current role owns it (directly or through membership), and its
// policies that apply to the current role but do not read the tenant setting (permissive policies are
// OR-ed, so one `USING (true)` opens the table). `$2` is the LIKE pattern of the setting.
const tablesSql = `
select c.oid::bigint as oid, n.nspname as schema, c.relname as name,
       c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
       pg_has_role(current_user, c.relowner, 'MEMBER') as owned,
       (select count(*) from pg_policy p where p.polrelid = c.oid)::int as policies,
       (select count(*) from pg_policy p
         where p.polrelid = c.oid and p.polpermissive
           and (p.polroles = '{0}' or exists (select 1 from unnest(p.polroles) r where pg_has_role(current_user, r, 'MEMBER')))
           and (coalesce(pg_get_expr(p.polqual, p.polrelid), '') not like $2
             or coalesce(pg_get_expr(p.polwithcheck, p.polrelid), pg_get_expr(p.polqual, p.polrelid), '') not like $2)
       )::int as open_policies
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p')
  and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%'
  and ($3::text[] is null or n.nspname = any($3::text[]))
  and exists (select 1 from pg_attribute a
              where a.attrelid = c.oid and a.attname = $1 and a.attnum > 0 and not a.attisdropped)
order by n.nspname, c.relname`;

// Views and materialized views that read any of the given relations, with their options.
const viewsSql = `
select distinct v.oid::bigint as oid, n.nspname as schema, v.relname as name, v.relkind as kind,
       coalesce(v.reloptions, '{}')::text[] as options
from pg_depend d
join pg_rewrite r on r.oid = d.objid
join pg_class v on v.oid = r.ev_class
join pg_namespace n on n.oid = v.relnamespace
where d.classid = 'pg_rewrite'::regclass and d.refobjid = any($1::oid[])
  and v.oid <> d.refobjid and v.relkind in ('v', 'm')`;

const invokerOptions = new Set([
  "security_invoker=true",
  "security_invoker=on",
  "security_invoker=1",
  "security_invoker=yes",
]);
const MAX_VIEW_DEPTH = 16;

/**
 * Checks, for the role `query` connects as, that PostgreSQL enforces tenant isolation: the role is not a
 * superuser and has no `BYPASSRLS`; every table with the tenant column has row-level security enabled and
 * forced, is not owned by the role, has a policy, and has no permissive policy for the role that ignores
 * the tenant setting; and no view over a tenant table (directly or through other views) runs with its
 * owner's rights (`security_invoker` unset, or a materialized view). Run it at start-up and in CI, and
 * refuse to serve when it fails. The driver subpaths (`/pg`, `/postgres`, `/pglite`) take their own client.
 *
 * @example
 * ```ts no-run
 * import { checkRowLevelSecurity } from "@keel/tenant-context";
 * import pg from "pg";
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const report = await checkRowLevelSecurity(async (text, params) => (await pool.query(text, [...params])).rows);
 * if (report.isErr()) throw report.error; // names every problem
 * ```
 */
export async function checkRowLevelSecurity(
  query: SqlQuery,
  options: RlsCheckOptions = {},
): Promise<Result<RlsReport, RlsNotEnforced>> {
  const column = options.column ?? "tenant_id";
  quoteIdentifier(column, "column");
  const setting = checkSettingName(options.setting ?? DEFAULT_SETTING);
  const problems: string[] = [];

  const [role] = await query(roleSql, []);
  const roleName = String(role?.name ?? "the current role");
  if (role?.rolsuper === true)
    problems.push(`role ${roleName} is a superuser, which bypasses row-level security`);
  if (role?.rolbypassrls === true) problems.push(`role ${roleName} has BYPASSRLS`);

  const settingPattern = `%current_setting('${setting.replaceAll("_", "\\_")}'%`;
  const schemas = options.schemas?.map((schema) => quoteIdentifier(schema, "schema").slice(1, -1));
  const tables = await query(tablesSql, [
    column,
    settingPattern,
    schemas === undefined ? null : `{${schemas.join(",")}}`,
  ]);
  if (tables.length === 0) problems.push(`no table has a "${column}" column: nothing is isolated`);
  for (const table of tables) {
    const name = `${String(table.schema)}.${String(table.name)}`;
    if (table.enabled !== true) problems.push(`${name}: row-level security is not enabled`);
    if (table.forced !== true)
      problems.push(`${name}: row-level security is not forced (FORCE ROW LEVEL SECURITY)`);
    if (table.owned === true)
      problems.push(`${name}: owned by ${roleName}, which can turn row-level security off`);
    if (Number(table.policies) === 0) problems.push(`${name}: has no policy`);
    if (Number(table.open_policies) > 0) {
      problems.push(
        `${name}: a permissive policy for ${roleName} does not check current_setting('${setting}')`,
      );
    }
  }

  let frontier = tables.map((table) => String(table.oid));
  const seen = new Set(frontier);
  for (let depth = 0; frontier.length > 0 && depth < MAX_VIEW_DEPTH; depth++) {
    const views = await query(viewsSql, [`{${frontier.join(",")}}`]);
    frontier = [];
    for (const view of views) {
      const oid = String(view.oid);
      if (seen.has(oid)) continue;
      seen.add(oid);
      frontier.push(oid);
      const name = `${String(view.schema)}.${String(view.name)}`;
      const options = (view.options as readonly string[] | null) ?? [];
      if (view.kind === "m")
        problems.push(`${name}: a materialized view of tenant rows is not protected by row-level security`);
      else if (!options.some((option) => invokerOptions.has(option.toLowerCase()))) {
        problems.push(`${name}: a view of tenant rows without security_invoker runs with its owner's rights`);
      }
    }
  }

  const checked = tables.map((table) => `${String(table.schema)}.${String(table.name)}`);
  return problems.length === 0 ? ok({ tables: checked }) : err(new RlsNotEnforced({ problems }));
}
