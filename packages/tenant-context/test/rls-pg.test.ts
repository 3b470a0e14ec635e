import { err, ok } from "@keel/result";
import { runtime } from "@keel/testing";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenantTransaction as drizzleTransaction } from "../src/drizzle.ts";
import { TenantContextMissing, tenantPolicySql } from "../src/index.ts";
import { checkRowLevelSecurity, createTenantTransaction } from "../src/pg.ts";
import {
  checkRowLevelSecurity as checkPostgresJs,
  createTenantTransaction as postgresJsTransaction,
} from "../src/postgres.ts";
import { acme, globex, interleave, tenants, tick } from "./fixtures.ts";
import { createPostgresFixture, type PostgresFixture } from "./postgres-fixture.ts";

// On the workerd leg pg connects through Workers' TCP sockets (pg-cloudflare), whose socket leaves an
// unhandled rejection when a pool closes: vitest counts that as a failure of the file.
describe.skipIf(runtime === "workerd")(
  "row-level security on the real PostgreSQL (skipped on workerd: pg-cloudflare rejects unhandled when a pool closes)",
  () => {
    let fixture: PostgresFixture;
    let pool: pg.Pool;
    let projects: string;

    beforeAll(async () => {
      fixture = await createPostgresFixture();
      pool = new pg.Pool({ connectionString: fixture.appUrl, max: 2 });
      projects = `${fixture.schema}.projects`;
    }, 60_000);

    afterAll(async () => {
      await pool?.end();
      await fixture?.drop();
    });

    type Row = { tenant_id: string; name: string };

    /** A postgres.js pool of `max` connections as the app role, ended after `use`. */
    async function withPostgresJs(max: number, use: (client: postgres.Sql) => Promise<void>): Promise<void> {
      const client = postgres(fixture.appUrl, { max, onnotice: () => {} });
      try {
        await use(client);
      } finally {
        await client.end();
      }
    }

    describe("createTenantTransaction() on pg against the real PostgreSQL", () => {
      it("shows a tenant its own rows only, and a query outside a tenant transaction sees no rows", async () => {
        const withTenant = createTenantTransaction<pg.PoolClient>(pool, { context: tenants });
        const rows = await tenants.run(acme, () =>
          withTenant(
            async (client) => (await client.query<Row>(`select tenant_id, name from ${projects}`)).rows,
          ),
        );
        expect(rows.map((row) => row.name).sort()).toEqual(["Acme launch", "Acme roadmap"]);
        expect((await pool.query(`select * from ${projects}`)).rows).toEqual([]);
      });

      it("refuses to write a row for another tenant (WITH CHECK)", async () => {
        const withTenant = createTenantTransaction<pg.PoolClient>(pool, { context: tenants });
        await expect(
          tenants.run(acme, () =>
            withTenant((client) =>
              client.query(`insert into ${projects} (tenant_id, name) values ('globex', 'x')`),
            ),
          ),
        ).rejects.toThrow(/row-level security/);
      });

      it("throws TenantContextMissing outside a tenant, before touching the database", async () => {
        const withTenant = createTenantTransaction<pg.PoolClient>(pool, { context: tenants });
        await expect(withTenant(async () => 1)).rejects.toBeInstanceOf(TenantContextMissing);
      });

      it("rolls back when the work returns an err Result, and returns it", async () => {
        const withTenant = createTenantTransaction<pg.PoolClient>(pool, { context: tenants });
        const outcome = await tenants.run(acme, () =>
          withTenant(async (client) => {
            await client.query(`insert into ${projects} (tenant_id, name) values ('acme', 'rolled back')`);
            return err("validation failed");
          }),
        );
        expect(outcome.isErr()).toBe(true);
        const names = await tenants.run(acme, () =>
          withTenant(async (client) => (await client.query<Row>(`select name from ${projects}`)).rows),
        );
        expect(names.map((row) => row.name)).not.toContain("rolled back");
      });

      it("never leaves the setting on a pooled connection after commit or rollback", async () => {
        const single = new pg.Pool({ connectionString: fixture.appUrl, max: 1 });
        try {
          const withTenant = createTenantTransaction<pg.PoolClient>(single, { context: tenants });
          const setting = async () =>
            (
              await single.query<{ value: string | null }>(
                "select current_setting('app.tenant_id', true) as value",
              )
            ).rows[0]?.value;
          await tenants.run(acme, () => withTenant(async () => ok(1)));
          expect(await setting()).toBeFalsy();
          await expect(
            tenants.run(acme, () =>
              withTenant(async () => {
                throw new Error("work failed");
              }),
            ),
          ).rejects.toThrow("work failed");
          expect(await setting()).toBeFalsy();
          expect((await single.query(`select * from ${projects}`)).rows).toEqual([]);
        } finally {
          await single.end();
        }
      });

      it("refuses a tenant transaction inside another (it would wait for a second connection forever)", async () => {
        const withTenant = createTenantTransaction<pg.PoolClient>(pool, { context: tenants });
        await expect(tenants.run(acme, () => withTenant(() => withTenant(async () => 1)))).rejects.toThrow(
          TypeError,
        );
      });

      it("rejects when a query failed inside the work, even if the work caught it (no silent rollback)", async () => {
        const withTenant = createTenantTransaction<pg.PoolClient>(pool, { context: tenants });
        await expect(
          tenants.run(acme, () =>
            withTenant(async (client) => {
              await client.query(`insert into ${projects} (tenant_id, name) values ('acme', 'lost')`);
              await client.query("select 1/0").catch(() => {});
              return "looks fine";
            }),
          ),
        ).rejects.toMatchObject({ code: "25P02", message: /aborted/ });
      });

      it("refuses a query sent on the client after its transaction ended, and release inside the work", async () => {
        const single = new pg.Pool({ connectionString: fixture.appUrl, max: 1 });
        try {
          const withTenant = createTenantTransaction<pg.PoolClient>(single, { context: tenants });
          let kept: pg.PoolClient | undefined;
          await tenants.run(acme, () =>
            withTenant(async (client) => {
              kept = client;
              return (await client.query("select 1")).rows;
            }),
          );
          // The pool's only connection, now in globex's transaction: acme's kept client must not reach it.
          const names = await tenants.run(globex, () =>
            withTenant(async (client) => {
              expect(() => kept?.query(`select tenant_id, name from ${projects}`)).toThrow(
                /after the transaction ended/,
              );
              return (await client.query<Row>(`select name from ${projects}`)).rows.map((row) => row.name);
            }),
          );
          expect(names).toEqual(["Globex secret plan"]);
          await expect(
            tenants.run(acme, () => withTenant(async (client) => client.release())),
          ).rejects.toThrow("release is not available in a tenant transaction");
          // A chainable method hands back the guarded client, and the objects it holds are guarded too.
          let chained: pg.PoolClient | undefined;
          let connection: { query(text: string): void } | undefined;
          await tenants.run(acme, () =>
            withTenant(async (client) => {
              chained = client.on("notice", () => {});
              connection = (client as unknown as { connection: { query(text: string): void } }).connection;
            }),
          );
          expect(() => chained?.query("select 1")).toThrow(/after the transaction ended/);
          const release = Object.getOwnPropertyDescriptor(chained, "release")?.value as () => void;
          expect(() => release()).toThrow("release is not available in a tenant transaction");
          expect(() => connection?.query("select 1")).toThrow(/after the transaction ended/);
          expect((await single.query("select 1 as one")).rows).toEqual([{ one: 1 }]);
        } finally {
          await single.end();
        }
      });

      it("keeps 1,000 interleaved transactions of two tenants on a pool of 2 apart, with random awaits", {
        timeout: 60_000,
      }, async () => {
        const withTenant = createTenantTransaction<pg.PoolClient>(pool, { context: tenants });
        const { leaked, seen } = await interleave(1000, (i) =>
          withTenant(async (client) => {
            await tick(i % 3);
            const { rows } = await client.query<Row>(`select tenant_id, name from ${projects}`);
            await tick((i * 7) % 2);
            return rows;
          }),
        );
        expect(leaked).toBe(0);
        expect(seen).toBeGreaterThan(0);
      });
    });

    describe("createTenantTransaction() on postgres.js and Drizzle (node-postgres) against the real PostgreSQL", () => {
      it("postgres.js: a tenant sees its own rows only; rollback on err", async () => {
        await withPostgresJs(2, async (client) => {
          const withTenant = postgresJsTransaction(client, { context: tenants });
          const rows = await tenants.run(globex, () =>
            withTenant(async (tx) => await tx.unsafe(`select name from ${projects}`)),
          );
          expect(rows.map((row) => row.name)).toEqual(["Globex secret plan"]);
          const outcome = await tenants.run(globex, () =>
            withTenant(async (tx) => {
              await tx.unsafe(`insert into ${projects} (tenant_id, name) values ('globex', 'never')`);
              return err("no");
            }),
          );
          expect(outcome.isErr()).toBe(true);
          const after = await tenants.run(globex, () =>
            withTenant(async (tx) => await tx.unsafe(`select name from ${projects}`)),
          );
          expect(after.map((row) => row.name)).toEqual(["Globex secret plan"]);
          expect((await checkPostgresJs(client, { schemas: [fixture.schema] })).isOk()).toBe(true);
        });
      });

      it("postgres.js: a query of the work sent after its transaction ended is refused, not run in the next tenant's", async () => {
        await withPostgresJs(1, async (client) => {
          const withTenant = postgresJsTransaction<postgres.TransactionSql>(client, { context: tenants });
          let kept: postgres.TransactionSql | undefined;
          // Written as for postgres.js's own begin, which awaits an array: here the queries come back unsent.
          const unsent = await tenants.run(acme, () =>
            withTenant(async (tx) => {
              kept = tx;
              return [tx<Row[]>`select tenant_id, name from ${client(fixture.schema)}.projects`];
            }),
          );
          // The only connection, now in globex's transaction: none of acme's late queries may run there.
          const names = await tenants.run(globex, () =>
            withTenant(async (tx) => {
              const late = /after the transaction ended/;
              // Made in the work, sent now: rejected when sent. Made now, on the kept transaction: refused.
              await expect(Promise.all(unsent)).rejects.toThrow(late);
              expect(() => kept?.unsafe(`select name from ${projects}`)).toThrow(late);
              expect(() => kept?.savepoint((inner) => inner`select 1`)).toThrow(late);
              expect(() => kept?.notify("channel", "payload")).toThrow(late);
              return (await tx.unsafe<Row[]>(`select name from ${projects}`)).map((row) => row.name);
            }),
          );
          expect(names).toEqual(["Globex secret plan"]);
          // Without `reserve` (older postgres.js) the transaction runs on `sql.begin`: a kept one is refused too.
          const onBegin = postgresJsTransaction<postgres.TransactionSql>(
            { begin: (work) => client.begin(work) },
            { context: tenants },
          );
          let keptOnBegin: postgres.TransactionSql | undefined;
          let keptInSavepoint: postgres.TransactionSql | undefined;
          await tenants.run(acme, () =>
            onBegin(async (tx) => {
              keptOnBegin = tx;
              await tx.savepoint(async (inner) => {
                keptInSavepoint = inner;
              });
              expect(() => tx.prepare("two-phase")).toThrow(TypeError);
            }),
          );
          for (const stale of [keptOnBegin, keptInSavepoint] as postgres.TransactionSql[]) {
            expect(() => stale`select 1`).toThrow(/after the transaction ended/);
            expect(() => stale.unsafe("select 1")).toThrow(/after the transaction ended/);
            // By reflection too.
            const unsafe = Object.getOwnPropertyDescriptor(stale, "unsafe")?.value as (
              text: string,
            ) => unknown;
            expect(() => unsafe("select 1")).toThrow(/after the transaction ended/);
          }
          const unsentOnBegin = await tenants.run(acme, () =>
            onBegin(async (tx) => [tx<Row[]>`select name from ${client(fixture.schema)}.projects`]),
          );
          const namesOnBegin = await tenants.run(globex, () =>
            onBegin(async (tx) => {
              await expect(Promise.all(unsentOnBegin)).rejects.toThrow(/after the transaction ended/);
              return (await tx.unsafe<Row[]>(`select name from ${projects}`)).map((row) => row.name);
            }),
          );
          expect(namesOnBegin).toEqual(["Globex secret plan"]);
        });
      });

      for (const via of ["reserve", "sql.begin"] as const) {
        it(`postgres.js on ${via}: a savepoint that fails after its transaction ended does not roll back the next one's`, async () => {
          await withPostgresJs(1, async (client) => {
            const withTenant = postgresJsTransaction<postgres.TransactionSql>(
              via === "reserve" ? client : { begin: (work) => client.begin(work) },
              { context: tenants },
            );
            let fail = (): void => {};
            const failing = new Promise<void>((resolve) => {
              fail = resolve;
            });
            let lateSavepoint: Promise<unknown> = Promise.resolve();
            await tenants.run(acme, () =>
              withTenant(async (tx) => {
                await new Promise<void>((entered) => {
                  lateSavepoint = tx
                    .savepoint(async () => {
                      entered();
                      await failing;
                      throw new Error("after the work");
                    })
                    .catch(() => {});
                });
              }),
            );
            // The only connection, now in globex's transaction, which has a savepoint "s0" of its own.
            const outcome = await tenants.run(globex, () =>
              withTenant(async (tx) => {
                const insert = (name: string) =>
                  tx.unsafe(`insert into ${projects} (tenant_id, name) values ('globex', $1)`, [name]);
                await insert("before the savepoint");
                await tx.savepoint(() => insert("in the savepoint"));
                fail();
                await lateSavepoint;
                const rows = await tx.unsafe<Row[]>(
                  `select name from ${projects} where name like '%savepoint'`,
                );
                return err(rows.map((row) => row.name).sort()); // seen, then rolled back
              }),
            );
            expect(outcome._unsafeUnwrapErr()).toEqual(["before the savepoint", "in the savepoint"]);
          });
        });
      }

      it("postgres.js: refuses file() (it reads before it sends), and a failing query's stack names its caller", async () => {
        await withPostgresJs(1, async (client) => {
          const withTenant = postgresJsTransaction<postgres.TransactionSql>(client, { context: tenants });
          await expect(
            tenants.run(acme, () => withTenant(async (tx) => tx.file("query.sql"))),
          ).rejects.toThrow("file is not available in a tenant transaction");
          const failed = await tenants
            .run(acme, () => withTenant(async (tx) => await tx`select 1/0`))
            .catch((error: unknown) => error);
          expect(String((failed as Error).stack)).toContain("rls-pg.test.ts");
        });
      });

      it("postgres.js: keeps 400 interleaved transactions of two tenants on 2 connections apart, with random awaits", {
        timeout: 60_000,
      }, async () => {
        await withPostgresJs(2, async (client) => {
          const withTenant = postgresJsTransaction<postgres.TransactionSql>(client, { context: tenants });
          const { leaked, seen } = await interleave(400, (i) =>
            withTenant(async (tx) => {
              await tick(i % 3);
              const rows = await tx.unsafe<Row[]>(`select tenant_id, name from ${projects}`);
              await tick((i * 7) % 2);
              return rows;
            }),
          );
          expect(leaked).toBe(0);
          expect(seen).toBeGreaterThan(0);
          const [setting] = await client`select current_setting('app.tenant_id', true) as value`;
          expect(setting?.value ?? "").toBe("");
        });
      });

      it("Drizzle on node-postgres: a transaction kept past its end is refused, not run in the next tenant's", async () => {
        const single = new pg.Pool({ connectionString: fixture.appUrl, max: 1 });
        try {
          const withTenant = drizzleTransaction(drizzle({ client: single }), { context: tenants });
          let kept: { execute(query: unknown): Promise<unknown> } | undefined;
          await tenants.run(acme, () =>
            withTenant(async (tx) => {
              kept = tx;
            }),
          );
          const names = await tenants.run(globex, () =>
            withTenant(async (tx) => {
              expect(() => kept?.execute(sql.raw(`select name from ${projects}`))).toThrow(
                /after the transaction ended/,
              );
              // What the transaction holds is guarded as well: here Drizzle's session.
              const session = (kept as unknown as { session: { execute(query: unknown): unknown } }).session;
              expect(() => session.execute(sql.raw(`select name from ${projects}`))).toThrow(
                /after the transaction ended/,
              );
              return (await tx.execute<{ name: string }>(sql.raw(`select name from ${projects}`))).rows;
            }),
          );
          expect(names.map((row) => row.name)).toEqual(["Globex secret plan"]);
        } finally {
          await single.end();
        }
      });

      it("Drizzle on node-postgres: a tenant sees its own rows only", async () => {
        const db = drizzle({ client: pool });
        const withTenant = drizzleTransaction(db, { context: tenants });
        const result = await tenants.run(acme, () =>
          withTenant((tx) =>
            tx.execute<{ name: string }>(sql.raw(`select name from ${projects} order by name`)),
          ),
        );
        expect(result.rows.map((row) => row.name)).toEqual(["Acme launch", "Acme roadmap"]);
      });
    });

    describe("checkRowLevelSecurity() against the real PostgreSQL", () => {
      it("passes for the app role on the tenant tables", async () => {
        const report = await checkRowLevelSecurity(pool, { schemas: [fixture.schema] });
        expect(report._unsafeUnwrap().tables).toEqual([`${fixture.schema}.projects`]);
      });

      it("names every problem: superuser, missing FORCE, no policy, an open policy, owned tables, unsafe views", async () => {
        const s = fixture.schema;
        const { admin } = fixture;
        await admin.query(`create table ${s}.no_force (tenant_id text)`);
        await admin.query(`alter table ${s}.no_force enable row level security`);
        await admin.query(
          `create policy p on ${s}.no_force using (tenant_id = current_setting('app.tenant_id', true))`,
        );
        await admin.query(`create table ${s}.no_policy (tenant_id text)`);
        await admin.query(`alter table ${s}.no_policy enable row level security, force row level security`);
        await admin.query(`create table ${s}.open_policy (tenant_id text)`);
        await admin.query(tenantPolicySql({ table: `${s}.open_policy` }));
        await admin.query(`create policy everyone on ${s}.open_policy using (true)`);
        await admin.query(`create table ${s}.owned (tenant_id text)`);
        await admin.query(tenantPolicySql({ table: `${s}.owned` }));
        await admin.query(`alter table ${s}.owned owner to ${fixture.role}`);
        await admin.query(`create view ${s}.project_names as select name from ${s}.projects`);
        await admin.query(
          `create view ${s}.safe_names with (security_invoker = true) as select name from ${s}.projects`,
        );
        await admin.query(`create view ${s}.names_again as select * from ${s}.safe_names`);
        await admin.query(
          `create materialized view ${s}.project_count as select count(*) from ${s}.projects`,
        );

        // Around row-level security: a definer function, a role the app can become, an OR in a policy.
        await admin.query(
          `create function ${s}.all_projects() returns setof ${s}.projects language sql security definer as 'select * from ${s}.projects'`,
        );
        await admin.query(`grant execute on function ${s}.all_projects() to ${fixture.role}`);
        await admin.query(`create role ${fixture.role}_strong bypassrls`);
        await admin.query(`grant ${fixture.role}_strong to ${fixture.role}`);
        await admin.query(`create table ${s}.or_policy (tenant_id text)`);
        await admin.query(`alter table ${s}.or_policy enable row level security, force row level security`);
        await admin.query(
          `create policy leaky on ${s}.or_policy using (tenant_id = current_setting('app.tenant_id', true) or true)`,
        );
        // Per-command policies that each pin the tenant are fine.
        await admin.query(`create table ${s}.per_command (tenant_id text)`);
        await admin.query(`alter table ${s}.per_command enable row level security, force row level security`);
        await admin.query(
          `create policy r on ${s}.per_command for select using (tenant_id = current_setting('app.tenant_id', true))`,
        );
        await admin.query(
          `create policy w on ${s}.per_command for insert with check (tenant_id = current_setting('app.tenant_id', true))`,
        );

        // The check looks only at tables the role can touch.
        await admin.query(`grant select on all tables in schema ${s} to ${fixture.role}`);
        const report = await checkRowLevelSecurity(pool, { schemas: [s] });
        const problems = report._unsafeUnwrapErr().problems.join("\n");
        expect(problems).toContain(`${s}.no_force: row-level security is not forced`);
        expect(problems).toContain(`${s}.no_policy: has no policy`);
        expect(problems).toContain(
          `${s}.open_policy: permissive policy everyone (FOR ALL) USING does not pin`,
        );
        expect(problems).toContain(`${s}.or_policy: permissive policy leaky (FOR ALL) USING does not pin`);
        expect(problems).toContain(`${s}.owned: owned by ${fixture.role}`);
        expect(problems).toContain(`${s}.project_names: a view of tenant rows without security_invoker`);
        expect(problems).toContain(`${s}.names_again: a view of tenant rows without security_invoker`);
        expect(problems).not.toContain(`${s}.safe_names`);
        expect(problems).toContain(`${s}.project_count: a materialized view`);
        expect(problems).toContain(`${s}.all_projects(): SECURITY DEFINER`);
        expect(problems).toContain(`can SET ROLE ${fixture.role}_strong`);
        expect(problems).not.toContain(`${s}.per_command`);
        expect(problems).not.toContain(`${s}.projects:`);
        const trusted = await checkRowLevelSecurity(pool, {
          schemas: [s],
          trustedFunctions: [`${s}.all_projects`],
        });
        expect(trusted._unsafeUnwrapErr().problems.join("\n")).not.toContain("all_projects");

        const asAdmin = await checkRowLevelSecurity(fixture.admin, { schemas: [s] });
        expect(asAdmin._unsafeUnwrapErr().problems.join("\n")).toMatch(/is a superuser/);

        for (const name of ["no_force", "no_policy", "open_policy", "owned"])
          await admin.query(`drop table ${s}.${name}`);
        await admin.query(`drop view ${s}.names_again, ${s}.safe_names, ${s}.project_names`);
        await admin.query(`drop materialized view ${s}.project_count`);
      });
    });
  },
);
