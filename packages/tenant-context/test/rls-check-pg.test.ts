// The self-check against the real PostgreSQL: policies that leak (refused by their text and caught by the
// probe), privileges that act around row-level security, and where the check looks.
import { runtime } from "@keel/testing";
import pg from "pg";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenantPolicySql } from "../src/index.ts";
import { checkRowLevelSecurity } from "../src/pg.ts";
import { checkRowLevelSecurity as checkPostgresJs } from "../src/postgres.ts";
import { createPostgresFixture, type PostgresFixture } from "./postgres-fixture.ts";

const setting = "current_setting('app.tenant_id', true)";

// Policies that pass a check looking for "tenant_id =", current_setting(...) and no OR, and that leak.
export const leakingPolicies: readonly (readonly [string, string])[] = [
  ["coalesce", `using (tenant_id = coalesce(nullif(${setting}, ''), tenant_id))`],
  ["any_array", `using (tenant_id = any(array[${setting}, 'globex']))`],
  ["is_not_false", `using ((tenant_id = ${setting}) is not false)`],
  ["is_not_distinct", `using ((tenant_id = ${setting}) is distinct from false)`],
  ["or_null", `using (tenant_id = ${setting} and true is not null or ${setting} is null)`],
  ["case_when", `using (tenant_id = case when ${setting} is null then tenant_id else ${setting} end)`],
  ["like_any", `using (tenant_id like coalesce(${setting}, '%'))`],
  ["not_distinct", `using (tenant_id is not distinct from ${setting})`],
  ["greatest", `using (tenant_id = greatest(${setting}, tenant_id))`],
  ["other_setting", `using (tenant_id = current_setting('app.other', true))`],
  ["check_open", `using (tenant_id = ${setting}) with check (tenant_id = coalesce(${setting}, tenant_id))`],
  ["update_open", `for update using (tenant_id = ${setting} or ${setting} is null)`],
  ["delete_open", `for delete using (tenant_id = coalesce(nullif(${setting}, ''), tenant_id))`],
  ["insert_open", `for insert with check ((tenant_id = ${setting}) is not false)`],
  [
    "set_config",
    `using (tenant_id = ${setting} and set_config('app.tenant_id', 'globex', true) is not null)`,
  ],
];

describe.skipIf(runtime === "workerd")(
  "checkRowLevelSecurity() refuses what leaks, on the real PostgreSQL (skipped on workerd: pg-cloudflare rejects unhandled when a pool closes)",
  () => {
    let fixture: PostgresFixture;
    let pool: pg.Pool;

    beforeAll(async () => {
      fixture = await createPostgresFixture();
      pool = new pg.Pool({ connectionString: fixture.appUrl, max: 2 });
    }, 60_000);

    afterAll(async () => {
      await pool?.end();
      await fixture?.drop();
    });

    /** A tenant table `name` with the fixture's rows, usable by the app role, under `policy` only. */
    async function tableWith(name: string, policy: string): Promise<string> {
      const table = `${fixture.schema}.${name}`;
      const { admin } = fixture;
      await admin.query(`create table ${table} (tenant_id text, name text not null default 'x')`);
      await admin.query(`insert into ${table} (tenant_id) values ('acme'), ('globex')`);
      await admin.query(`alter table ${table} enable row level security, force row level security`);
      await admin.query(`create policy ${name} on ${table} ${policy}`);
      await admin.query(`grant select, insert, update, delete on ${table} to ${fixture.role}`);
      return table;
    }

    async function dropTable(table: string) {
      await fixture.admin.query(`drop table ${table}`);
    }

    it("refuses each leaking policy by its text, naming the table, the policy and the command", async () => {
      for (const [name, policy] of leakingPolicies) {
        const table = await tableWith(name, policy);
        try {
          const report = await checkRowLevelSecurity(pool, { schemas: [fixture.schema], probe: false });
          const problems = report._unsafeUnwrapErr().problems.join("\n");
          expect(problems, name).toMatch(new RegExp(`${table}: permissive policy ${name} \\(FOR \\w+\\)`));
        } finally {
          await dropTable(table);
        }
      }
    });

    it("the probe catches what leaks when such a policy is listed as reviewed", async () => {
      const caught: Record<string, string> = {};
      for (const [name, policy] of leakingPolicies) {
        if (name === "other_setting" || name === "set_config") continue; // see no rows from here: text only
        const table = await tableWith(name, policy);
        try {
          // A fresh connection, as at start-up: the setting is unset (NULL), not just empty.
          const fresh = new pg.Pool({ connectionString: fixture.appUrl, max: 1 });
          try {
            const report = await checkRowLevelSecurity(fresh, {
              schemas: [fixture.schema],
              trustedPolicies: [`${table}.${name}`],
            });
            caught[name] = report.isErr()
              ? report.error.problems.filter((p) => p.startsWith(table)).join("; ")
              : "";
          } finally {
            await fresh.end();
          }
        } finally {
          await dropTable(table);
        }
      }
      for (const [name, problems] of Object.entries(caught))
        expect(problems, name).toMatch(/with (no|an unknown) tenant set/);
      expect(caught.coalesce).toContain("with no tenant set (unset), a SELECT saw rows");
      expect(caught.any_array).toContain("with an unknown tenant set, a SELECT saw rows");
      expect(caught.is_not_false).toContain("an INSERT of a row of no tenant went through");
      expect(caught.delete_open).toContain("a DELETE removed rows");
      expect(caught.update_open).toContain("an UPDATE reached rows");
    });

    it("the probe leaves nothing behind: rows, settings", async () => {
      const table = await tableWith("probed", leakingPolicies[0]?.[1] ?? "");
      try {
        const before = await fixture.admin.query(`select tenant_id, name from ${table} order by 1`);
        const single = new pg.Pool({ connectionString: fixture.appUrl, max: 1 });
        try {
          await checkRowLevelSecurity(single, {
            schemas: [fixture.schema],
            trustedPolicies: [`${table}.probed`],
          });
          const left = await single.query("select current_setting('app.tenant_id', true) as value");
          expect(left.rows[0]?.value ?? "").toBe("");
        } finally {
          await single.end();
        }
        expect((await fixture.admin.query(`select tenant_id, name from ${table} order by 1`)).rows).toEqual(
          before.rows,
        );
      } finally {
        await dropTable(table);
      }
    });

    it("accepts what tenantPolicySql writes, for each column type, and its close variants", async () => {
      const { admin, schema, role } = fixture;
      for (const type of ["text", "uuid", "bigint", "integer"] as const) {
        await admin.query(`create table ${schema}.typed_${type} (tenant_id ${type} not null, v text)`);
        await admin.query(tenantPolicySql({ table: `${schema}.typed_${type}`, columnType: type }));
        await admin.query(`grant select, insert, update, delete on ${schema}.typed_${type} to ${role}`);
      }
      await admin.query(`create table ${schema}.variants (tenant_id text, deleted boolean)`);
      await admin.query(`alter table ${schema}.variants enable row level security, force row level security`);
      await admin.query(
        `create policy plain on ${schema}.variants for select using (tenant_id = ${setting})`,
      );
      await admin.query(
        `create policy narrowed on ${schema}.variants for update using (${setting} = tenant_id and not deleted)`,
      );
      await admin.query(
        `create policy strict on ${schema}.variants for insert with check (tenant_id = current_setting('app.tenant_id'))`,
      );
      await admin.query(`grant select, insert, update on ${schema}.variants to ${role}`);
      try {
        const report = await checkRowLevelSecurity(pool, { schemas: [schema] });
        expect(report.isOk() ? [] : report.error.problems).toEqual([]);
      } finally {
        await admin.query(
          `drop table ${schema}.variants, ${schema}.typed_text, ${schema}.typed_uuid, ${schema}.typed_bigint, ${schema}.typed_integer`,
        );
      }
    });

    it("refuses TRUNCATE, TRIGGER and REFERENCES, also through a role the app is a member of", async () => {
      const { admin, schema, role } = fixture;
      const table = `${schema}.projects`;
      await admin.query(`grant truncate on ${table} to ${role}`);
      await admin.query(`create role ${role}_triggers`);
      await admin.query(`grant trigger on ${table} to ${role}_triggers`);
      await admin.query(`grant ${role}_triggers to ${role}`);
      await admin.query(`grant references on ${table} to ${role}`);
      await admin.query(`grant create on schema ${schema} to ${role}`);
      try {
        const problems = (await checkRowLevelSecurity(pool, { schemas: [schema] }))._unsafeUnwrapErr()
          .problems;
        expect(problems).toContain(
          `${table}: ${role} may TRUNCATE it, which empties every tenant's rows past row-level security`,
        );
        expect(problems).toContain(
          `${table}: ${role} may create triggers on it, which see every tenant's writes`,
        );
        expect(problems.join("\n")).toContain(`${table}: ${role} may reference it from a foreign key`);
        // TRUNCATE really does wipe every tenant's rows, whatever the policy says.
        await pool.query("begin");
        try {
          await pool.query(`truncate ${table}`);
        } finally {
          await pool.query("rollback");
        }
      } finally {
        await admin.query(`revoke truncate, references on ${table} from ${role}`);
        await admin.query(`revoke create on schema ${schema} from ${role}`);
        await admin.query(`revoke ${role}_triggers from ${role}`);
        await admin.query(`drop owned by ${role}_triggers`);
        await admin.query(`drop role ${role}_triggers`);
      }
      expect((await checkRowLevelSecurity(pool, { schemas: [schema] })).isOk()).toBe(true);
    });

    it("refuses a table owned through a role the app is a member of", async () => {
      const { admin, schema, role } = fixture;
      await admin.query(`create role ${role}_owner`);
      await admin.query(`grant ${role}_owner to ${role}`);
      await admin.query(`create table ${schema}.owned_via (tenant_id text)`);
      await admin.query(tenantPolicySql({ table: `${schema}.owned_via` }));
      await admin.query(`alter table ${schema}.owned_via owner to ${role}_owner`);
      try {
        const problems = (await checkRowLevelSecurity(pool, { schemas: [schema] }))._unsafeUnwrapErr()
          .problems;
        expect(problems).toContain(
          `${schema}.owned_via: owned by ${role}, which can turn row-level security off`,
        );
      } finally {
        await admin.query(`drop table ${schema}.owned_via`);
        await admin.query(`revoke ${role}_owner from ${role}`);
        await admin.query(`drop role ${role}_owner`);
      }
    });

    it("by default checks the schemas the role may use, not other apps' tables; the error names the schemas", async () => {
      const { admin, schema, role } = fixture;
      const other = `${schema}_other`;
      await admin.query(`create schema ${other}`);
      await admin.query(`create table ${other}.invoices (tenant_id text)`); // another app's, no RLS at all
      try {
        const report = await checkRowLevelSecurity(pool);
        const problems = report.isErr() ? report.error.problems.join("\n") : "";
        expect(problems).not.toContain(`${other}.invoices`);
        if (report.isOk()) expect(report.value.tables).toContain(`${schema}.projects`);
        // A table in a schema the role may use but on which it has no privilege cannot leak either.
        await admin.query(`grant usage on schema ${other} to ${role}`);
        const usable = await checkRowLevelSecurity(pool);
        expect(usable.isErr() ? usable.error.problems.join("\n") : "").not.toContain(`${other}.invoices`);
        await admin.query(`grant select on ${other}.invoices to ${role}`);
        const readable = (await checkRowLevelSecurity(pool))._unsafeUnwrapErr();
        expect(readable.problems).toContain(`${other}.invoices: row-level security is not enabled`);
        expect(readable.schemas).toContain(other);
        expect(readable.message).toMatch(/pass the schemas option/);
      } finally {
        await admin.query(`drop schema ${other} cascade`);
      }
    });

    it("with schemas, still reports a SECURITY DEFINER function elsewhere that can read the tenant tables", async () => {
      const { admin, schema, role } = fixture;
      const other = `${schema}_fns`;
      await admin.query(`create schema ${other}`);
      await admin.query(`grant usage on schema ${other} to ${role}`);
      await admin.query(
        `create function ${other}.all_projects() returns bigint language sql security definer as 'select count(*) from ${schema}.projects'`,
      );
      try {
        const report = await checkRowLevelSecurity(pool, { schemas: [schema] });
        expect(report._unsafeUnwrapErr().problems.join("\n")).toContain(
          `${other}.all_projects(): SECURITY DEFINER`,
        );
        const trusted = await checkRowLevelSecurity(pool, {
          schemas: [schema],
          trustedFunctions: [`${other}.all_projects`],
        });
        expect(trusted.isOk()).toBe(true);
      } finally {
        await admin.query(`drop schema ${other} cascade`);
      }
    });

    it("runs the same on postgres.js", async () => {
      const table = await tableWith("pgjs_coalesce", leakingPolicies[0]?.[1] ?? "");
      const sql = postgres(fixture.appUrl, { max: 1, onnotice: () => {} });
      try {
        const text = await checkPostgresJs(sql, { schemas: [fixture.schema] });
        expect(text._unsafeUnwrapErr().problems.join("\n")).toContain(
          `${table}: permissive policy pgjs_coalesce`,
        );
        const probed = await checkPostgresJs(sql, {
          schemas: [fixture.schema],
          trustedPolicies: [`${table}.pgjs_coalesce`],
        });
        expect(probed._unsafeUnwrapErr().problems.join("\n")).toContain(`${table}: with no tenant set`);
      } finally {
        await sql.end();
        await dropTable(table);
      }
    });
  },
);
