// Round trips and statements of a tenant transaction on the real PostgreSQL, counted by a proxy between the
// driver and the server that delays each chunk by 1 ms each way (@keel/testing/latency-proxy): counts only,
// never times. A round trip is a burst the client sends after it was answered.
import { err } from "@keel/result";
import { runtime } from "@keel/testing";
import { type LatencyProxy, startLatencyProxy } from "@keel/testing/latency-proxy";
import pg from "pg";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenantTransaction } from "../src/pg.ts";
import { createTenantTransaction as postgresJsTransaction } from "../src/postgres.ts";
import { acme, tenants } from "./fixtures.ts";
import { acmeProjectNames, createPostgresFixture, type PostgresFixture } from "./postgres-fixture.ts";

describe.skipIf(runtime === "workerd")(
  "round trips and statements per tenant transaction, through a latency proxy (skipped on workerd: no TCP server)",
  () => {
    let fixture: PostgresFixture;
    let proxy: LatencyProxy;
    let projects: string;
    let url: string;

    beforeAll(async () => {
      fixture = await createPostgresFixture();
      proxy = await startLatencyProxy({ target: { host: "127.0.0.1", port: 5432 }, delayMs: 1 });
      projects = `${fixture.schema}.projects`;
      url = proxy.via(fixture.appUrl);
    }, 60_000);

    afterAll(async () => {
      await proxy?.close();
      await fixture?.drop();
    });

    /** Round trips and statements of each of `times` transactions, after one that connects and prepares. */
    async function perTransaction(transaction: () => Promise<unknown>, times = 5) {
      await tenants.run(acme, transaction);
      const [flights, statements] = [proxy.flights, proxy.statements];
      for (let i = 0; i < times; i++) await tenants.run(acme, transaction);
      return {
        roundTrips: (proxy.flights - flights) / times,
        statements: (proxy.statements - statements) / times,
      };
    }

    /** The tenant setting as a fresh transaction on `query`'s connection sees it: empty or unset. */
    const settingQuery = "select current_setting('app.tenant_id', true) as value";

    describe("pg", () => {
      it("sends BEGIN and the setting in one round trip: 3 round trips and 4 statements around one query (5 and 5 before)", async () => {
        const pool = new pg.Pool({ connectionString: url, max: 1 });
        try {
          const withTenant = createTenantTransaction<pg.PoolClient>(pool, { context: tenants });
          const names: string[][] = [];
          const counts = await perTransaction(() =>
            withTenant(async (client) => {
              const { rows } = await client.query<{ name: string }>(
                `select name from ${projects} order by name`,
              );
              names.push(rows.map((row) => row.name));
            }),
          );
          expect(counts).toEqual({ roundTrips: 3, statements: 4 });
          expect(new Set(names.map((list) => list.join()))).toEqual(new Set(["Acme launch,Acme roadmap"]));
        } finally {
          await pool.end();
        }
      });

      it("in pg's pipeline mode sends BEGIN and the setting with the first query: 2 round trips", async () => {
        const pool = new pg.Pool({ connectionString: url, max: 1, pipeline: true } as pg.PoolConfig);
        try {
          const withTenant = createTenantTransaction<pg.PoolClient>(pool, { context: tenants });
          const counts = await perTransaction(() =>
            withTenant(async (client) => (await client.query(`select name from ${projects}`)).rows),
          );
          expect(counts).toEqual({ roundTrips: 2, statements: 4 });
          expect(await acmeProjectNames(withTenant, projects)).toEqual(["Acme launch", "Acme roadmap"]);
        } finally {
          await pool.end();
        }
      });

      it("in pipeline mode, a first query with a parameter pg cannot send (a throwing toPostgres) or the server refuses rejects, and the pool of one goes on", async () => {
        const pool = new pg.Pool({ connectionString: url, max: 1, pipeline: true } as pg.PoolConfig);
        try {
          const withTenant = createTenantTransaction<pg.PoolClient>(pool, { context: tenants });
          const at = (value: unknown) =>
            tenants.run(acme, () =>
              withTenant(
                async (client) => (await client.query("select $1::timestamptz as at", [value])).rows,
              ),
            );
          expect((await at("2026-12-08T00:00:00Z"))[0]?.at).toEqual(new Date("2026-12-08T00:00:00Z"));
          const unsendable = {
            toPostgres() {
              throw new Error("no text");
            },
          };
          await expect(at(unsendable)).rejects.toThrow("no text");
          await expect(at("not a date")).rejects.toMatchObject({ code: "22007" });
          expect((await pool.query(settingQuery)).rows[0]?.value ?? "").toBe("");
          expect((await at("2026-12-09T00:00:00Z"))[0]?.at).toEqual(new Date("2026-12-09T00:00:00Z"));
        } finally {
          await pool.end();
        }
      }, 15_000);

      for (const pipeline of [false, true]) {
        it(`${pipeline ? "in pipeline mode " : ""}rejects with 25P02 when COMMIT answered ROLLBACK (a swallowed failure), commits nothing and leaves no setting`, async () => {
          const pool = new pg.Pool({ connectionString: url, max: 1, pipeline } as pg.PoolConfig);
          try {
            const withTenant = createTenantTransaction<pg.PoolClient>(pool, { context: tenants });
            const swallowed = tenants.run(acme, () =>
              withTenant(async (client) => {
                await client.query(`insert into ${projects} (tenant_id, name) values ('acme', 'swallowed')`);
                await client.query("select 1/0").catch(() => {});
                return "looks fine";
              }),
            );
            await expect(swallowed).rejects.toMatchObject({ code: "25P02", message: /aborted/ });
            const thrown = tenants.run(acme, () =>
              withTenant(async () => {
                throw new Error("work failed");
              }),
            );
            await expect(thrown).rejects.toThrow("work failed");
            const outcome = await tenants.run(acme, () =>
              withTenant(async (client) => {
                await client.query(`insert into ${projects} (tenant_id, name) values ('acme', 'err result')`);
                return err("no");
              }),
            );
            expect(outcome.isErr()).toBe(true);
            expect((await pool.query(settingQuery)).rows[0]?.value ?? "").toBe("");
            expect(await acmeProjectNames(withTenant, projects)).toEqual(["Acme launch", "Acme roadmap"]);
          } finally {
            await pool.end();
          }
        });
      }
    });

    describe("postgres.js", () => {
      it("sends BEGIN and the setting in one round trip, then the query: 3 round trips and 4 statements (7 and 5 before), 2 without a query", async () => {
        const sql = postgres(url, { max: 1, onnotice: () => {} });
        try {
          const withTenant = postgresJsTransaction<postgres.TransactionSql>(sql, { context: tenants });
          const names: string[][] = [];
          const counts = await perTransaction(() =>
            withTenant(async (tx) => {
              const rows = await tx<
                { name: string }[]
              >`select name from ${sql(fixture.schema)}.projects order by name`;
              names.push(rows.map((row) => row.name));
            }),
          );
          expect(counts).toEqual({ roundTrips: 3, statements: 4 });
          expect(new Set(names.map((list) => list.join()))).toEqual(new Set(["Acme launch,Acme roadmap"]));
          expect(await perTransaction(() => withTenant(async () => 1))).toEqual({
            roundTrips: 2,
            statements: 3,
          });
        } finally {
          await sql.end();
        }
      });

      it("rejects with 25P02 when COMMIT answered ROLLBACK, rolls back on a throw or an err Result, and leaves no setting", async () => {
        const sql = postgres(url, { max: 1, onnotice: () => {} });
        try {
          const withTenant = postgresJsTransaction<postgres.TransactionSql>(sql, { context: tenants });
          const swallowed = tenants.run(acme, () =>
            withTenant(async (tx) => {
              await tx.unsafe(`insert into ${projects} (tenant_id, name) values ('acme', 'swallowed')`);
              await tx`select 1/0`.catch(() => {});
              return "looks fine";
            }),
          );
          await expect(swallowed).rejects.toMatchObject({ code: "25P02", message: /aborted/ });
          await expect(
            tenants.run(acme, () =>
              withTenant(async (tx) => {
                await tx.unsafe(`insert into ${projects} (tenant_id, name) values ('acme', 'thrown')`);
                throw new Error("work failed");
              }),
            ),
          ).rejects.toThrow("work failed");
          const outcome = await tenants.run(acme, () =>
            withTenant(async (tx) => {
              await tx.unsafe(`insert into ${projects} (tenant_id, name) values ('acme', 'err result')`);
              return err("no");
            }),
          );
          expect(outcome.isErr()).toBe(true);
          const [setting] = await sql<
            { value: string | null }[]
          >`select current_setting('app.tenant_id', true) as value`;
          expect(setting?.value ?? "").toBe("");
          expect(await sql.unsafe(`select * from ${projects}`)).toHaveLength(0); // no tenant: no rows
          const names = await tenants.run(acme, () =>
            withTenant(
              async (tx) => await tx<{ name: string }[]>`select name from ${sql(fixture.schema)}.projects`,
            ),
          );
          expect(names.map((row) => row.name).sort()).toEqual(["Acme launch", "Acme roadmap"]);
        } finally {
          await sql.end();
        }
      });

      it("a first query postgres.js cannot build (porsager/postgres#1082: an invalid date string, undefined, a Symbol) rejects on a warm connection, and the pool of one goes on", async () => {
        const sql = postgres(url, { max: 1, onnotice: () => {} });
        try {
          const withTenant = postgresJsTransaction<postgres.TransactionSql>(sql, { context: tenants });
          const at = (value: unknown) =>
            tenants.run(acme, () =>
              withTenant(
                async (tx) =>
                  await tx.unsafe("select $1::timestamptz as at", [value as never], { prepare: true }),
              ),
            );
          // From the second transaction on the statement is prepared, and postgres.js serialises its
          // parameters as it sends it: behind an unanswered BEGIN, a failure there never settled the query.
          expect((await at("2026-12-08T00:00:00Z"))[0]?.at).toEqual(new Date("2026-12-08T00:00:00Z"));
          const unprintable = { toString: () => Symbol("no text") };
          for (const value of ["not a date", undefined, Symbol("no text"), unprintable]) {
            await expect(at(value)).rejects.toThrow();
          }
          const [after] = await sql<
            { value: string | null }[]
          >`select current_setting('app.tenant_id', true) as value`;
          expect(after?.value ?? "").toBe("");
          expect((await at("2026-12-09T00:00:00Z"))[0]?.at).toEqual(new Date("2026-12-09T00:00:00Z"));
        } finally {
          await sql.end();
        }
      }, 15_000);

      it("refuses a tenant id that is not a well-formed string (a number, a lone surrogate) before anything is sent", async () => {
        const sql = postgres(url, { max: 1, onnotice: () => {} });
        try {
          const withTenant = postgresJsTransaction<postgres.TransactionSql>(sql, { context: tenants });
          await sql`select 1`;
          const flights = proxy.flights;
          for (const id of [42, "acme\uD800", "\uDC00acme"]) {
            await expect(
              tenants.run({ id: id as string }, () => withTenant(async (tx) => await tx`select 1`)),
            ).rejects.toThrow("tenant id must be a well-formed string");
          }
          expect(proxy.flights).toBe(flights);
          // A pair is one character, and fine.
          const [row] = await tenants.run({ id: "acme\u{1F600}" }, () =>
            withTenant(
              async (tx) => await tx<{ id: string }[]>`select current_setting('app.tenant_id') as id`,
            ),
          );
          expect(row?.id).toBe("acme\u{1F600}");
        } finally {
          await sql.end();
        }
      });

      it("gives work a transaction: savepoint rolls back to itself; release and prepare are refused", async () => {
        const sql = postgres(url, { max: 1, onnotice: () => {} });
        try {
          const withTenant = postgresJsTransaction<postgres.TransactionSql>(sql, { context: tenants });
          const names = await tenants.run(acme, () =>
            withTenant(async (tx) => {
              await tx.unsafe(`insert into ${projects} (tenant_id, name) values ('acme', 'kept')`);
              await tx
                .savepoint("inner", async (inner) => {
                  await inner.unsafe(`insert into ${projects} (tenant_id, name) values ('acme', 'undone')`);
                  throw new Error("undo the savepoint");
                })
                .catch(() => {});
              await tx.savepoint((inner) =>
                inner.unsafe(`insert into ${projects} (tenant_id, name) values ('acme', 'saved')`),
              );
              expect(() => (tx as unknown as { release(): void }).release()).toThrow(TypeError);
              expect(() => tx.prepare("two-phase")).toThrow(TypeError);
              const rows = await tx<
                { name: string }[]
              >`select name from ${sql(fixture.schema)}.projects order by name`;
              await tx.unsafe(`delete from ${projects} where name in ('kept', 'saved')`);
              return rows.map((row) => row.name);
            }),
          );
          expect(names).toEqual(["Acme launch", "Acme roadmap", "kept", "saved"]);
        } finally {
          await sql.end();
        }
      });
    });
  },
);
