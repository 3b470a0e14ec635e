// The Kysely adapter on its PostgresDialect with pg, against the real PostgreSQL: row-level security keeps
// tenants apart, the setting stays in its transaction, failures roll back, and a connection that dies
// mid-transaction rejects with DatabaseConnectionLost instead of ending the process.
import { err, ok } from "@keel/result";
import { runtime } from "@keel/testing";
import { Kysely, PostgresDialect, sql, Transaction } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatabaseConnectionLost, TenantContextMissing } from "../src/index.ts";
import { createTenantTransaction } from "../src/kysely.ts";
import { acme, type ProjectsDatabase as Database, interleave, tenants, tick } from "./fixtures.ts";
import { createPostgresFixture, type PostgresFixture } from "./postgres-fixture.ts";

// On the workerd leg pg connects through Workers' TCP sockets (pg-cloudflare), whose socket leaves an
// unhandled rejection when a pool closes: vitest counts that as a failure of the file.
describe.skipIf(runtime === "workerd")(
  "Kysely (PostgresDialect, pg) on the real PostgreSQL (skipped on workerd: pg-cloudflare rejects unhandled when a pool closes)",
  () => {
    let fixture: PostgresFixture;
    let pool: pg.Pool;
    let db: Kysely<Database>;

    beforeAll(async () => {
      fixture = await createPostgresFixture();
      pool = new pg.Pool({ connectionString: fixture.appUrl, max: 2 });
      db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    }, 60_000);

    afterAll(async () => {
      await db?.destroy(); // ends the pool
      await fixture?.drop();
    });

    /** A fresh Kysely on its own pool of one connection, for tests that look at that connection. */
    function single(): { pool: pg.Pool; db: Kysely<Database> } {
      const onePool = new pg.Pool({ connectionString: fixture.appUrl, max: 1 });
      return { pool: onePool, db: new Kysely<Database>({ dialect: new PostgresDialect({ pool: onePool }) }) };
    }

    it("shows a tenant its own rows only, and a query outside a tenant transaction sees no rows", async () => {
      const withTenant = createTenantTransaction(db, { context: tenants, pool });
      const rows = await tenants.run(acme, () =>
        withTenant((trx) =>
          trx.withSchema(fixture.schema).selectFrom("projects").select(["tenant_id", "name"]).execute(),
        ),
      );
      expect(rows.map((row) => row.name).sort()).toEqual(["Acme launch", "Acme roadmap"]);
      expect(rows.every((row) => row.tenant_id === "acme")).toBe(true);
      expect(await db.withSchema(fixture.schema).selectFrom("projects").selectAll().execute()).toEqual([]);
    });

    it("refuses to write a row for another tenant (WITH CHECK)", async () => {
      const withTenant = createTenantTransaction(db, { context: tenants, pool });
      await expect(
        tenants.run(acme, () =>
          withTenant((trx) =>
            trx
              .withSchema(fixture.schema)
              .insertInto("projects")
              .values({ tenant_id: "globex", name: "x" })
              .execute(),
          ),
        ),
      ).rejects.toThrow(/row-level security/);
    });

    it("throws TenantContextMissing outside a tenant, and refuses a tenant transaction inside another", async () => {
      const withTenant = createTenantTransaction(db, { context: tenants, pool });
      await expect(withTenant(async () => 1)).rejects.toBeInstanceOf(TenantContextMissing);
      await expect(tenants.run(acme, () => withTenant(() => withTenant(async () => 1)))).rejects.toThrow(
        TypeError,
      );
    });

    it("never leaves the setting on the pooled connection after a commit, a thrown error or an err Result", async () => {
      const one = single();
      try {
        const withTenant = createTenantTransaction(one.db, { context: tenants, pool: one.pool });
        const setting = async () =>
          (
            await one.pool.query<{ value: string | null }>(
              "select current_setting('app.tenant_id', true) as value",
            )
          ).rows[0]?.value;
        const insert = (trx: Kysely<Database>, name: string) =>
          trx.withSchema(fixture.schema).insertInto("projects").values({ tenant_id: "acme", name }).execute();
        await tenants.run(acme, () => withTenant(async () => ok(1)));
        expect(await setting()).toBeFalsy();
        await expect(
          tenants.run(acme, () =>
            withTenant(async (trx) => {
              await insert(trx, "thrown away");
              throw new Error("work failed");
            }),
          ),
        ).rejects.toThrow("work failed");
        expect(await setting()).toBeFalsy();
        const outcome = await tenants.run(acme, () =>
          withTenant(async (trx) => {
            await insert(trx, "rolled back");
            return err("validation failed");
          }),
        );
        expect(outcome.isErr()).toBe(true);
        expect(await setting()).toBeFalsy();
        expect((await one.pool.query(`select * from ${fixture.schema}.projects`)).rows).toEqual([]);
        const names = (
          await fixture.admin.query<{ name: string }>(`select name from ${fixture.schema}.projects`)
        ).rows.map((row) => row.name);
        expect(names).not.toContain("thrown away");
        expect(names).not.toContain("rolled back");
      } finally {
        await one.db.destroy();
      }
    });

    it("refuses a transaction kept past its end", async () => {
      const withTenant = createTenantTransaction(db, { context: tenants, pool });
      let kept: Transaction<Database> | undefined;
      // Inside the work the guarded transaction is Kysely's own, helpers (`trx.fn`) and `instanceof` included.
      const counted = await tenants.run(acme, () =>
        withTenant(async (trx) => {
          kept = trx;
          expect(trx).toBeInstanceOf(Transaction);
          return await trx
            .withSchema(fixture.schema)
            .selectFrom("projects")
            .select((eb) => eb.fn.countAll<string>().as("n"))
            .select(trx.fn.max("name").as("last"))
            .executeTakeFirstOrThrow();
        }),
      );
      expect(counted).toEqual({ n: "2", last: "Acme roadmap" });
      expect(() => kept?.selectFrom("projects").select("name")).toThrow(/after the transaction ended/);
    });

    it("rejects when a query failed inside the work, even if the work caught it (no silent rollback)", async () => {
      const withTenant = createTenantTransaction(db, { context: tenants, pool });
      await expect(
        tenants.run(acme, () =>
          withTenant(async (trx) => {
            await trx
              .withSchema(fixture.schema)
              .insertInto("projects")
              .values({ tenant_id: "acme", name: "lost" })
              .execute();
            await sql`select 1/0`.execute(trx).catch(() => {});
            return "looks fine";
          }),
        ),
      ).rejects.toThrow(/aborted/);
      const names = (
        await fixture.admin.query<{ name: string }>(`select name from ${fixture.schema}.projects`)
      ).rows.map((row) => row.name);
      expect(names).not.toContain("lost");
    });

    it("keeps 1,000 interleaved transactions of two tenants on a pool of 2 apart, with random awaits", {
      timeout: 60_000, // a hang detector
    }, async () => {
      const withTenant = createTenantTransaction(db, { context: tenants, pool });
      const { leaked, seen } = await interleave(1000, (i) =>
        withTenant(async (trx) => {
          await tick(i % 3);
          const rows = await trx
            .withSchema(fixture.schema)
            .selectFrom("projects")
            .select("tenant_id")
            .execute();
          await tick((i * 7) % 2);
          return rows;
        }),
      );
      expect(leaked).toBe(0);
      expect(seen).toBe(1500); // acme's two rows 500 times, globex's one 500 times
    });

    it("refuses a pool that is not a pg.Pool at set-up", () => {
      expect(() => createTenantTransaction(db, { context: tenants, pool: {} as unknown as pg.Pool })).toThrow(
        /`pool` must be the pg.Pool/,
      );
    });

    describe("a connection lost during a tenant transaction", () => {
      /** Ends the server session `pid` from the admin connection, as the server would on its own. */
      async function terminate(pid: unknown) {
        await fixture.admin.query("select pg_terminate_backend($1::int)", [pid]);
      }
      const backendPid = async (trx: Kysely<Database>) =>
        (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]?.pid;

      it("rejects with DatabaseConnectionLost (idle or mid-query), drops the client, and the next transaction works", async () => {
        const one = single();
        try {
          const withTenant = createTenantTransaction(one.db, { context: tenants, pool: one.pool });
          // Killed while idle in the transaction: no query is running, pg only emits 'error' on the client.
          const idle = tenants.run(acme, () =>
            withTenant(async (trx) => {
              await terminate(await backendPid(trx));
              await tick(50); // let the socket close
              return await trx.withSchema(fixture.schema).selectFrom("projects").select("name").execute();
            }),
          );
          await expect(idle).rejects.toBeInstanceOf(DatabaseConnectionLost);
          // Killed while a query runs.
          const running = tenants.run(acme, () =>
            withTenant(async (trx) => {
              const pid = await backendPid(trx);
              const sleeping = sql`select pg_sleep(5)`.execute(trx);
              // Handled now: the query may fail before terminate() answers, and a rejection with no handler yet is
              // an unhandled rejection even though it is awaited below.
              sleeping.catch(() => {});
              await terminate(pid);
              return await sleeping;
            }),
          );
          await expect(running).rejects.toBeInstanceOf(DatabaseConnectionLost);
          expect(one.pool.totalCount).toBe(0); // destroyed, not back in the pool
          const names = await tenants.run(acme, () =>
            withTenant((trx) =>
              trx.withSchema(fixture.schema).selectFrom("projects").select("name").orderBy("name").execute(),
            ),
          );
          expect(names.map((row) => row.name)).toEqual(["Acme launch", "Acme roadmap"]);
        } finally {
          await one.db.destroy();
        }
      });
    });
  },
);
