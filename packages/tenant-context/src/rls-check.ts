/**
 * A start-up self-check that row-level security is really in force for the role a service connects as: it
 * reads the PostgreSQL catalog and names every problem, instead of finding out from a leaked row.
 *
 * @module
 */
import { err, ok, TaggedError } from "@keel/result";
import type { Result, TaggedErrorClass } from "./_internal/external-types.ts";
import { pinningPattern, pinsTenant } from "./_internal/policy-shape.ts";
import { runProbe } from "./_internal/rls-probe.ts";
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
  /**
   * The schemas whose tables to check. Defaults to every schema the role may use (`USAGE`), but
   * PostgreSQL's own: the tables the service can reach. Functions are looked for in every schema either way.
   */
  readonly schemas?: readonly string[];
  /**
   * `SECURITY DEFINER` functions (`schema.name`) you reviewed: they filter by tenant themselves. Any other
   * one the role may call, whose owner can read a tenant table, is a problem: it runs with its owner's rights.
   */
  readonly trustedFunctions?: readonly string[];
  /**
   * Policies (`schema.table.policy`) you reviewed, whose text the check does not recognise as pinning the
   * tenant: only the shape `tenantPolicySql` writes is accepted without a review. The probe still tries them.
   */
  readonly trustedPolicies?: readonly string[];
  /**
   * Whether to try each tenant table as the role, in a statement that is rolled back: with no tenant set
   * and with a random unknown one, a read must see no row and a write must touch none. Defaults to `true`;
   * it reads each table up to six times (an index on the tenant column keeps that cheap).
   */
  readonly probe?: boolean;
}

/** The self-check for one driver's client: what the driver entries (`/pg`, `/postgres`, `/pglite`) export. */
export type RlsCheck<Db> = (db: Db, options?: RlsCheckOptions) => Promise<Result<RlsReport, RlsNotEnforced>>;

/** What the check found: the tenant tables it checked, as `schema.table`. */
export interface RlsReport {
  /** Every tenant table checked, as `schema.table`: a table missing here was not looked at. */
  readonly tables: readonly string[];
}

// A typed constant, because isolatedDeclarations cannot emit `extends TaggedError("...")` itself.
const /** @ignore */ RlsNotEnforcedBase: TaggedErrorClass<"RlsNotEnforced"> =
    /* @__PURE__ */ TaggedError("RlsNotEnforced");

/**
 * Row-level security is not in force for the connecting role; `problems` names each reason, and `schemas`
 * the schemas whose tables were checked.
 *
 * @example
 * ```ts
 * import { RlsNotEnforced } from "@keel/tenant-context";
 * const error = new RlsNotEnforced({ problems: ["role app is a superuser"], schemas: ["public"] });
 * console.assert(error.message.includes("superuser") && error.message.includes("schemas"));
 * ```
 */
export class RlsNotEnforced extends RlsNotEnforcedBase<{
  readonly problems: readonly string[];
  readonly schemas: readonly string[];
}> {
  /**
   * Reports every problem found; the message lists them and the schemas checked, and says how to check
   * others.
   *
   * @param fields `problems`: one sentence per reason; `schemas`: the schemas whose tables were checked
   * (none when left out).
   */
  constructor(fields: { problems: readonly string[]; schemas?: readonly string[] }) {
    const schemas = fields.schemas ?? [];
    super({
      problems: fields.problems,
      schemas,
      message: `Row-level security is not in force: ${fields.problems.join("; ")} (checked the tables of schemas ${
        schemas.join(", ") || "(none)"
      }: pass the schemas option, or --schema, to check the ones the service uses)`,
    });
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
  "n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'";

// The schemas to check by default: those the role may use.
const usableSchemasSql = `
select n.nspname as name from pg_namespace n
where ${systemSchemas} and has_schema_privilege(current_user, n.oid, 'USAGE')
order by 1`;

// Every ordinary or partitioned table in the given schemas that has the tenant column and that the role, or
// a role it can become, may touch at all; with its row-level security flags, whether the role owns it
// (directly or through membership), and the privileges that act around row-level security.
const tablesSql = `
select c.oid::bigint as oid, n.nspname as schema, c.relname as name,
       c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
       pg_has_role(current_user, c.relowner, 'MEMBER') as owned,
       exists (select 1 from pg_roles r where pg_has_role(current_user, r.oid, 'MEMBER')
               and has_table_privilege(r.oid, c.oid, 'TRUNCATE')) as truncate,
       exists (select 1 from pg_roles r where pg_has_role(current_user, r.oid, 'MEMBER')
               and has_table_privilege(r.oid, c.oid, 'TRIGGER')) as trigger,
       exists (select 1 from pg_roles r where pg_has_role(current_user, r.oid, 'MEMBER')
               and has_any_column_privilege(r.oid, c.oid, 'REFERENCES'))
         and exists (select 1 from pg_namespace s where s.nspname not like 'pg\\_%'
                     and has_schema_privilege(current_user, s.oid, 'CREATE')) as references
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p') and ${systemSchemas}
  and n.nspname = any($2::text[])
  and exists (select 1 from pg_attribute a
              where a.attrelid = c.oid and a.attname = $1 and a.attnum > 0 and not a.attisdropped)
  and exists (select 1 from pg_roles r where pg_has_role(current_user, r.oid, 'MEMBER')
              and (r.oid = c.relowner
                   or has_table_privilege(r.oid, c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
                   or has_any_column_privilege(r.oid, c.oid, 'SELECT, INSERT, UPDATE, REFERENCES')))
order by n.nspname, c.relname`;

// SECURITY DEFINER functions the role may call, in any schema it may use, that another role owns, outside
// extensions, whose owner bypasses row-level security or may touch one of the given tenant tables: they
// run with the owner's rights, wherever they live.
const definerFunctionsSql = `
select n.nspname as schema, p.proname as name from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
join pg_roles o on o.oid = p.proowner
where p.prosecdef
  and has_schema_privilege(current_user, n.oid, 'USAGE')
  and has_function_privilege(current_user, p.oid, 'EXECUTE')
  and not pg_has_role(current_user, p.proowner, 'MEMBER')
  and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
  and (o.rolsuper or o.rolbypassrls or exists (
    select 1 from unnest($1::oid[]) t(oid)
    where pg_has_role(p.proowner, (select relowner from pg_class where oid = t.oid), 'MEMBER')
       or has_table_privilege(p.proowner, t.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE')))
order by 1, 2`;

// The policies of the given tables, with the command each is for: permissive ones that apply to the current
// role are OR-ed, so each must pin the tenant by itself.
const policiesSql = `
select p.polrelid::bigint as table_oid, p.polname as name, p.polpermissive as permissive, p.polcmd as command,
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

const commands: Readonly<Record<string, string>> = {
  "*": "FOR ALL",
  r: "FOR SELECT",
  a: "FOR INSERT",
  w: "FOR UPDATE",
  d: "FOR DELETE",
};

const invokerOptions = new Set([
  "security_invoker=true",
  "security_invoker=on",
  "security_invoker=1",
  "security_invoker=yes",
]);
const MAX_VIEW_DEPTH = 16;

/** `{a,b}` for PostgreSQL, each element quoted: schema names come from the catalog and may hold anything. */
const textArray = (items: readonly string[]) =>
  `{${items.map((item) => `"${item.replace(/["\\]/g, (char) => `\\${char}`)}"`).join(",")}}`;

/**
 * Checks, for the role `query` connects as, that PostgreSQL enforces tenant isolation, and names every
 * problem. The role: not a superuser, no `BYPASSRLS`, no `SET ROLE` to a role that has either, no
 * `SECURITY DEFINER` function it may call (in any schema) whose owner can read a tenant table, unless listed
 * as trusted. Every table with the tenant column that the role can touch, in `schemas` (by default those the
 * role may use): row-level security enabled and forced; not owned by the role; no `TRUNCATE` or `TRIGGER`
 * privilege, nor `REFERENCES` when the role can create tables (each acts around row-level security); a
 * policy; and every permissive policy for the role, for each command, has a `USING` and a `WITH CHECK` of
 * exactly the shape `tenantPolicySql` writes (`column = NULLIF(current_setting('setting', true), '')`, with
 * a cast or without `NULLIF`, AND-ed with more conditions), unless listed as trusted. No view over a tenant
 * table runs with its owner's rights. Then the probe tries each table as the role, with no tenant set and
 * with a random unknown tenant, in a statement that is rolled back: no read may see a row, no write touch
 * one. Run it at start-up and in CI (`keel-rls-check`), and refuse to serve when it fails. The driver
 * subpaths (`/pg`, `/postgres`, `/pglite`) take their own client.
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
  const pinning = pinningPattern(column, setting);
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

  const schemas = options.schemas ?? (await query(usableSchemasSql, [])).map((schema) => String(schema.name));
  const tables = await query(tablesSql, [column, textArray(schemas)]);
  const tableOids = tables.map((table) => String(table.oid));
  const oidArray = `{${tableOids.join(",")}}`;

  const trustedFunctions = new Set(options.trustedFunctions ?? []);
  for (const fn of await query(definerFunctionsSql, [oidArray])) {
    const name = `${String(fn.schema)}.${String(fn.name)}`;
    if (!trustedFunctions.has(name)) {
      problems.push(
        `${name}(): SECURITY DEFINER runs with its owner's rights, around row-level security (list it in trustedFunctions once reviewed)`,
      );
    }
  }

  if (tables.length === 0) problems.push(`no table has a "${column}" column: nothing is isolated`);
  const trustedPolicies = new Set(options.trustedPolicies ?? []);
  const policies = await query(policiesSql, [oidArray]);
  for (const table of tables) {
    const name = `${String(table.schema)}.${String(table.name)}`;
    if (table.enabled !== true) problems.push(`${name}: row-level security is not enabled`);
    if (table.forced !== true)
      problems.push(`${name}: row-level security is not forced (FORCE ROW LEVEL SECURITY)`);
    if (table.owned === true)
      problems.push(`${name}: owned by ${roleName}, which can turn row-level security off`);
    if (table.truncate === true)
      problems.push(
        `${name}: ${roleName} may TRUNCATE it, which empties every tenant's rows past row-level security`,
      );
    if (table.trigger === true)
      problems.push(`${name}: ${roleName} may create triggers on it, which see every tenant's writes`);
    if (table.references === true)
      problems.push(
        `${name}: ${roleName} may reference it from a foreign key, whose checks see every tenant's keys`,
      );
    const own = policies.filter((policy) => String(policy.table_oid) === String(table.oid));
    if (own.length === 0) problems.push(`${name}: has no policy`);
    for (const policy of own) {
      if (policy.permissive !== true || policy.applies !== true) continue; // restrictive ones only narrow
      if (trustedPolicies.has(`${name}.${String(policy.name)}`)) continue;
      const command = commands[String(policy.command)] ?? String(policy.command);
      for (const [clause, expression] of [
        ["USING", policy.using_expr],
        ["WITH CHECK", policy.check_expr],
      ] as const) {
        // A missing clause adds nothing to the OR (or falls back to USING, checked too).
        if (typeof expression === "string" && !pinsTenant(expression, pinning)) {
          problems.push(
            `${name}: permissive policy ${String(policy.name)} (${command}) ${clause} does not pin ${column} to current_setting('${setting}') as tenantPolicySql writes it (list it in trustedPolicies once reviewed)`,
          );
        }
      }
    }
  }

  let frontier = tableOids;
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
      const viewOptions = (view.options as readonly string[] | null) ?? [];
      if (view.kind === "m")
        problems.push(`${name}: a materialized view of tenant rows is not protected by row-level security`);
      else if (!viewOptions.some((option) => invokerOptions.has(option.toLowerCase()))) {
        problems.push(`${name}: a view of tenant rows without security_invoker runs with its owner's rights`);
      }
    }
  }

  if (options.probe !== false) {
    const probed = await runProbe(query, tableOids, column, setting);
    if ("failed" in probed) {
      problems.push(`the probe could not run (${probed.failed}); pass probe: false to skip it`);
    } else {
      for (const finding of probed.findings) {
        problems.push(`${finding.table}: with ${finding.when}, ${finding.what}`);
      }
    }
  }

  const checked = tables.map((table) => `${String(table.schema)}.${String(table.name)}`);
  return problems.length === 0 ? ok({ tables: checked }) : err(new RlsNotEnforced({ problems, schemas }));
}
