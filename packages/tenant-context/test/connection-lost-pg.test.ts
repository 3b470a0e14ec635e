// A connection that dies in the middle of a tenant transaction, on the real PostgreSQL: the transaction
// rejects with DatabaseConnectionLost, the process keeps running, the dead connection is not reused and the
// next transaction works. The server ends the session with pg_terminate_backend, as a failover or
// idle_in_transaction_session_timeout would.
import { runtime } from "@keel/testing";
import { sql as drizzleSql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenantTransaction as drizzleTransaction } from "../src/drizzle.ts";
import { DatabaseConnectionLost } from "../src/index.ts";
import { createTenantTransaction } from "../src/pg.ts";
import { createTenantTransaction as postgresJsTransaction } from "../src/postgres.ts";
import { acme, tenants } from "./fixtures.ts";
import { acmeProjectNames, createPostgresFixture, type PostgresFixture } from "./postgres-fixture.ts";

describe.skipIf(runtime === "workerd")(
  "a connection lost during a tenant transaction (skipped on workerd: pg-cloudflare rejects unhandled when a pool closes)",
  () => {
    let fixture: PostgresFixture;
    let projects: string;

    beforeAll(async () => {
      fixture = await createPostgresFixture();
      projects = `${fixture.schema}.projects`;
    }, 60_000);

    afterAll(async () => {
      await fixture?.drop();
    });

    /** Ends the server session `pid` from the admin connection, as the server would on its own. */
    async function terminate(pid: unknown) {
      await fixture.admin.query("select pg_terminate_backend($1::int)", [pid]);
    }

    it("pg: rejects with DatabaseConnectionLost, destroys the client, and the next transaction works", async () => {
      const pool = new pg.Pool({ connectionString: fixture.appUrl, max: 1 });
      try {
        const withTenant = createTenantTransaction<pg.PoolClient>(pool, { context: tenants });
        // Killed while idle in the transaction: no query is running, pg only emits 'error' on the client.
        const idle = tenants.run(acme, () =>
          withTenant(async (client) => {
            const { rows } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
            await terminate(rows[0]?.pid);
            await new Promise((resolve) => setTimeout(resolve, 50)); // let the socket close
            return (await client.query(`select name from ${projects}`)).rows;
          }),
        );
        await expect(idle).rejects.toBeInstanceOf(DatabaseConnectionLost);
        // Killed while a query runs.
        const running = tenants.run(acme, () =>
          withTenant(async (client) => {
            const { rows } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
            const sleeping = client.query("select pg_sleep(5)");
            // Handled now: the query may fail before terminate() answers, and a rejection with no handler yet is
            // an unhandled rejection even though it is awaited below.
            sleeping.catch(() => {});
            await terminate(rows[0]?.pid);
            return await sleeping;
          }),
        );
        await expect(running).rejects.toBeInstanceOf(DatabaseConnectionLost);
        expect(pool.totalCount).toBe(0); // destroyed, not back in the pool
        expect(await acmeProjectNames(withTenant, projects)).toEqual(["Acme launch", "Acme roadmap"]);
      } finally {
        await pool.end();
      }
    });

    it("Drizzle on a pg pool: rejects with DatabaseConnectionLost, and the next transaction works", async () => {
      const pool = new pg.Pool({ connectionString: fixture.appUrl, max: 1 });
      try {
        const db = drizzle({ client: pool });
        const withTenant = drizzleTransaction(db, { context: tenants });
        const lost = tenants.run(acme, () =>
          withTenant(async (tx) => {
            const result = await tx.execute<{ pid: number }>(drizzleSql`select pg_backend_pid() as pid`);
            await terminate(result.rows[0]?.pid);
            await new Promise((resolve) => setTimeout(resolve, 50));
            return await tx.execute(drizzleSql.raw(`select name from ${projects}`));
          }),
        );
        await expect(lost).rejects.toBeInstanceOf(DatabaseConnectionLost);
        const names = await tenants.run(acme, () =>
          withTenant((tx) => tx.execute<{ name: string }>(drizzleSql.raw(`select name from ${projects}`))),
        );
        expect(names.rows.map((row) => row.name).sort()).toEqual(["Acme launch", "Acme roadmap"]);
      } finally {
        await pool.end();
      }
    });

    // postgres.js 3.4.9 may fail the next transaction on the same `sql` with the old connection's error,
    // or leave its queries pending forever (porsager/postgres#1216, #1186): what Keel does is reject the lost
    // transaction with a typed error, without crashing the process; the README says what to do next.
    it("postgres.js: rejects with DatabaseConnectionLost and the process keeps running", async () => {
      const sql = postgres(fixture.appUrl, { max: 1, onnotice: () => {} });
      try {
        const withTenant = postgresJsTransaction<postgres.TransactionSql>(sql, { context: tenants });
        const running = tenants.run(acme, () =>
          withTenant(async (tx) => {
            const [row] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
            const sleeping = tx`select pg_sleep(5)`;
            // Handled now: the query may fail before terminate() answers, and a rejection with no handler yet is
            // an unhandled rejection even though it is awaited below.
            sleeping.catch(() => {});
            await terminate(row?.pid);
            return await sleeping;
          }),
        );
        const error = await running.then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
        expect(error).toBeInstanceOf(DatabaseConnectionLost);
        expect((error as DatabaseConnectionLost).cause).toMatchObject({
          code: expect.stringMatching(/57P01|CONNECTION_CLOSED|ECONNRESET/),
        });
      } finally {
        // sql.end() can hang after a lost connection too (porsager/postgres#1097): bounded here.
        await Promise.race([sql.end({ timeout: 1 }), new Promise((resolve) => setTimeout(resolve, 2000))]);
      }
    });
  },
);
