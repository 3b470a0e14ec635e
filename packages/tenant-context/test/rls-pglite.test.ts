import type { PGlite } from "@electric-sql/pglite";
import { err } from "@keel/result";
import { runtime } from "@keel/testing";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenantTransaction as drizzleTransaction } from "../src/drizzle.ts";
import { checkRowLevelSecurity, createTenantTransaction } from "../src/pglite.ts";
import { acme, globex, interleave, tenants, tick } from "./fixtures.ts";
import { createPgliteFixture } from "./pglite-fixture.ts";

type Row = { tenant_id: string; name: string };

describe.skipIf(runtime === "workerd")(
  "PGlite (skipped on workerd: it refuses to compile WebAssembly at run time)",
  () => {
    let db: PGlite;

    beforeAll(async () => {
      db = await createPgliteFixture();
    }, 180_000); // a hang detector: PGlite's WebAssembly start alone took 46 s on Bun on a busy machine

    afterAll(async () => {
      await db?.close();
    });

    describe("createTenantTransaction() on PGlite", () => {
      it("shows a tenant its own rows only, and nothing outside a tenant transaction", async () => {
        const withTenant = createTenantTransaction(db, { context: tenants });
        const rows = await tenants.run(globex, () =>
          withTenant(async (tx) => (await tx.query<Row>("select tenant_id, name from projects")).rows),
        );
        expect(rows).toEqual([{ tenant_id: "globex", name: "Globex plan" }]);
        expect((await db.query("select * from projects")).rows).toEqual([]);
        const setting = await db.query<{ value: string | null }>(
          "select current_setting('app.tenant_id', true) as value",
        );
        expect(setting.rows[0]?.value).toBeFalsy();
      });

      it("rolls back on an err Result and refuses another tenant's row", async () => {
        const withTenant = createTenantTransaction(db, { context: tenants });
        const outcome = await tenants.run(acme, () =>
          withTenant(async (tx) => {
            await tx.query("insert into projects (tenant_id, name) values ('acme', 'rolled back')");
            return err("no");
          }),
        );
        expect(outcome.isErr()).toBe(true);
        await expect(
          tenants.run(acme, () =>
            withTenant((tx) => tx.query("insert into projects (tenant_id, name) values ('globex', 'x')")),
          ),
        ).rejects.toThrow(/row-level security/);
        const names = await tenants.run(acme, () =>
          withTenant(async (tx) => (await tx.query<Row>("select name from projects")).rows),
        );
        expect(names.map((row) => row.name).sort()).toEqual(["Acme launch", "Acme roadmap"]);
      });

      it("keeps 1,000 interleaved transactions of two tenants apart, with random awaits", {
        timeout: 60_000,
      }, async () => {
        const withTenant = createTenantTransaction(db, { context: tenants });
        const { leaked } = await interleave(1000, (i) =>
          withTenant(async (tx) => {
            await tick(i % 2);
            return (await tx.query<Row>("select tenant_id from projects")).rows;
          }),
        );
        expect(leaked).toBe(0);
      });

      it("works through Drizzle's PGlite driver", async () => {
        const withTenant = drizzleTransaction(drizzle({ client: db }), { context: tenants });
        const result = await tenants.run(acme, () =>
          withTenant((tx) => tx.execute<{ name: string }>(sql`select name from projects order by name`)),
        );
        expect(result.rows.map((row) => row.name)).toEqual(["Acme launch", "Acme roadmap"]);
      });

      it("refuses a transaction kept past its end, on PGlite and on Drizzle", async () => {
        const late = /after the transaction ended/;
        const withTenant = createTenantTransaction(db, { context: tenants });
        let kept: { query(text: string): Promise<unknown> } | undefined;
        await tenants.run(acme, () =>
          withTenant(async (tx) => {
            kept = tx;
          }),
        );
        expect(() => kept?.query("select name from projects")).toThrow(late);
        const withDrizzle = drizzleTransaction(drizzle({ client: db }), { context: tenants });
        let keptDrizzle: { execute(query: unknown): Promise<unknown> } | undefined;
        await tenants.run(acme, () =>
          withDrizzle(async (tx) => {
            keptDrizzle = tx;
          }),
        );
        expect(() => keptDrizzle?.execute(sql`select name from projects`)).toThrow(late);
      });

      it("rejects when a query failed inside and the work caught it, on PGlite and on Drizzle (the setting is sent again before COMMIT)", async () => {
        const withTenant = createTenantTransaction(db, { context: tenants });
        await expect(
          tenants.run(acme, () =>
            withTenant(async (tx) => {
              await tx.query("insert into projects (tenant_id, name) values ('acme', 'swallowed')");
              await tx.query("select 1/0").catch(() => {});
              return "looks fine";
            }),
          ),
        ).rejects.toThrow(/aborted/);
        const withDrizzle = drizzleTransaction(drizzle({ client: db }), { context: tenants });
        // Drizzle wraps the driver's error ("Failed query: ..."), which is the cause.
        await expect(
          tenants.run(acme, () =>
            withDrizzle(async (tx) => {
              await tx.execute(sql`insert into projects (tenant_id, name) values ('acme', 'swallowed')`);
              await tx.execute(sql`select 1/0`).catch(() => {});
              return "looks fine";
            }),
          ),
        ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/aborted/) } });
        const names = await tenants.run(acme, () =>
          withTenant(async (tx) => (await tx.query<Row>("select name from projects")).rows),
        );
        expect(names.map((row) => row.name)).not.toContain("swallowed");
      });

      it("passes the self-check as the app role", async () => {
        expect((await checkRowLevelSecurity(db))._unsafeUnwrap().tables).toEqual(["public.projects"]);
      });

      it("refuses the leaking policies by their text, and the probe catches them when listed as reviewed", async () => {
        const setting = "current_setting('app.tenant_id', true)";
        const leaking = {
          coalesce: `tenant_id = coalesce(nullif(${setting}, ''), tenant_id)`,
          any_array: `tenant_id = any(array[${setting}, 'globex'])`,
          is_not_false: `(tenant_id = ${setting}) is not false`,
        };
        await db.exec("reset role");
        for (const [name, using] of Object.entries(leaking)) {
          await db.exec(`
            create table ${name} (tenant_id text, name text default 'x');
            insert into ${name} (tenant_id) values ('acme'), ('globex');
            alter table ${name} enable row level security, force row level security;
            create policy ${name} on ${name} using (${using});
            grant select, insert, update, delete on ${name} to app;
          `);
        }
        await db.exec("set role app");
        try {
          const text = (await checkRowLevelSecurity(db, { probe: false }))._unsafeUnwrapErr().problems;
          for (const name of Object.keys(leaking)) {
            expect(text).toContain(
              `public.${name}: permissive policy ${name} (FOR ALL) USING does not pin tenant_id to current_setting('app.tenant_id') as tenantPolicySql writes it (list it in trustedPolicies once reviewed)`,
            );
          }
          const probed = await checkRowLevelSecurity(db, {
            trustedPolicies: Object.keys(leaking).map((name) => `public.${name}.${name}`),
          });
          const problems = probed._unsafeUnwrapErr().problems;
          expect(problems).toContain("public.coalesce: with no tenant set (empty), a SELECT saw rows");
          expect(problems).toContain("public.any_array: with an unknown tenant set, a SELECT saw rows");
          expect(problems).toContain(
            "public.is_not_false: with no tenant set (empty), an INSERT of a row of no tenant went through",
          );
          expect(problems.join("\n")).not.toContain("public.projects");
          expect((await db.query("select count(*)::int as n from projects")).rows).toEqual([{ n: 0 }]);
        } finally {
          await db.exec("reset role");
          await db.exec(`drop table ${Object.keys(leaking).join(", ")}`);
          await db.exec("set role app");
        }
        expect((await checkRowLevelSecurity(db)).isOk()).toBe(true);
      });
    });
  },
);
