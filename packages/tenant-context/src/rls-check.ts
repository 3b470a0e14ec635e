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
  /** Only look at tables and functions in these schemas; by default every schema but PostgreSQL's own. */
  readonly schemas?: readonly string[];
  /**
   * `SECURITY DEFINER` functions (`schema.name`) you reviewed: they filter by tenant themselves. Any other
   * one the role may call is a problem, since it runs with its owner's rights.
   */
  readonly trustedFunctions?: readonly string[];
}

/** The self-check for one driver's client: what the driver entries (`/pg`, `/postgres`, `/pglite`) export. */
export type RlsCheck<Db> = (db: Db, options?: RlsCheckOptions) => Promise<Result<RlsReport, RlsNotEnforced>>;

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

// Roles the current one can become (SET ROLE) that bypass row-level security.
const strongerRolesSql = `
select r.rolname as name from pg_roles r
where r.rolname <> current_user and pg_has_role(current_user, r.oid, 'MEMBER') and (r.rolsuper or r.rolbypassrls)
order by r.rolname`;

const systemSchemas =
  "n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%'";

// SECURITY DEFINER functions the role may call, that another role owns, outside extensions.
const definerFunctionsSql = `
select n.nspname as schema, p.proname as name from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
where p.prosecdef and ${systemSchemas}
  and ($1::text[] is null or n.nspname = any($1::text[]))
  and has_function_privilege(current_user, p.oid, 'EXECUTE')
  and not pg_has_role(current_user, p.proowner, 'MEMBER')
  and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
order by 1, 2`;

// Every ordinary or partitioned table outside the system schemas that has the tenant column, with its
// row-level security flags and whether the current role owns it (directly or through membership).
const tablesSql = `
select c.oid::bigint as oid, n.nspname as schema, c.relname as name,
       c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
       pg_has_role(current_user, c.relowner, 'MEMBER') as owned
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p') and ${systemSchemas}
  and ($2::text[] is null or n.nspname = any($2::text[]))
  and exists (select 1 from pg_attribute a
              where a.attrelid = c.oid and a.attname = $1 and a.attnum > 0 and not a.attisdropped)
order by n.nspname, c.relname`;

// The policies of the given tables: permissive ones that apply to the current role are OR-ed, so each must
// pin the tenant by itself.
const policiesSql = `
select p.polrelid::bigint as table_oid, p.polname as name, p.polpermissive as permissive,
       pg_get_expr(p.polqual, p.polrelid) as using_expr, pg_get_expr(p.polwithcheck, p.polrelid) as check_expr,
       (p.polroles = '{0}' or exists (select 1 from unnest(p.polroles) r where pg_has_role(current_user, r, 'MEMBER'))) as applies
from pg_policy p
where p.polrelid = any($1::oid[])`;

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

/**
 * Whether a policy expression pins the tenant: `<column> = <something reading current_setting('<setting>')>`,
 * possibly AND-ed with more, and no OR anywhere (an OR can open the table whatever the setting says).
 */
function pinsTenant(expression: string, column: string, setting: string): boolean {
  const text = expression.replace(/^[\s(]+/, "");
  const comparison = new RegExp(`^"?${column}"?\\s*=\\s*`);
  return (
    comparison.test(text) &&
    text.includes(`current_setting('${setting}'`) &&
    !/\bor\b/i.test(text.replace(/'[^']*'/g, "''"))
  );
}

const invokerOptions = new Set([
  "security_invoker=true",
  "security_invoker=on",
  "security_invoker=1",
  "security_invoker=yes",
]);
const MAX_VIEW_DEPTH = 16;

/**
 * Checks, for the role `query` connects as, that PostgreSQL enforces tenant isolation: the role is not a
 * superuser, has no `BYPASSRLS` and cannot `SET ROLE` to a role that has; it may call no `SECURITY
 * DEFINER` function you did not list as trusted; every table with the tenant column has row-level security
 * enabled and forced, is not owned by the role, has a policy, and every permissive policy for the role pins
 * the tenant column to the setting (`column = ...current_setting(...)`, no `OR`); and no view over a tenant
 * table (directly or through other views) runs with its owner's rights (`security_invoker` unset, or a
 * materialized view). Run it at start-up and in CI, and refuse to serve when it fails. The driver subpaths (`/pg`, `/postgres`, `/pglite`) take their own client.
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
  const schemas = options.schemas?.map((schema) => quoteIdentifier(schema, "schema").slice(1, -1));
  const problems: string[] = [];

  const [role] = await query(roleSql, []);
  const roleName = String(role?.name ?? "the current role");
  if (role?.rolsuper === true)
    problems.push(`role ${roleName} is a superuser, which bypasses row-level security`);
  if (role?.rolbypassrls === true) problems.push(`role ${roleName} has BYPASSRLS`);
  for (const stronger of await query(strongerRolesSql, [])) {
    problems.push(
      `role ${roleName} can SET ROLE ${String(stronger.name)}, which bypasses row-level security`,
    );
  }

  const schemaList = schemas === undefined ? null : `{${schemas.join(",")}}`;
  const trusted = new Set(options.trustedFunctions ?? []);
  for (const fn of await query(definerFunctionsSql, [schemaList])) {
    const name = `${String(fn.schema)}.${String(fn.name)}`;
    if (!trusted.has(name)) {
      problems.push(`${name}(): SECURITY DEFINER runs with its owner's rights, around row-level security`);
    }
  }

  const tables = await query(tablesSql, [column, schemaList]);
  if (tables.length === 0) problems.push(`no table has a "${column}" column: nothing is isolated`);
  const policies = await query(policiesSql, [`{${tables.map((table) => String(table.oid)).join(",")}}`]);
  for (const table of tables) {
    const name = `${String(table.schema)}.${String(table.name)}`;
    if (table.enabled !== true) problems.push(`${name}: row-level security is not enabled`);
    if (table.forced !== true)
      problems.push(`${name}: row-level security is not forced (FORCE ROW LEVEL SECURITY)`);
    if (table.owned === true)
      problems.push(`${name}: owned by ${roleName}, which can turn row-level security off`);
    const own = policies.filter((policy) => String(policy.table_oid) === String(table.oid));
    if (own.length === 0) problems.push(`${name}: has no policy`);
    for (const policy of own.filter(
      (candidate) => candidate.permissive === true && candidate.applies === true,
    )) {
      const expressions = [policy.using_expr, policy.check_expr].filter(
        (expression): expression is string => typeof expression === "string",
      );
      if (
        expressions.length === 0 ||
        !expressions.every((expression) => pinsTenant(expression, column, setting))
      ) {
        problems.push(
          `${name}: permissive policy ${String(policy.name)} does not pin ${column} to current_setting('${setting}')`,
        );
      }
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
