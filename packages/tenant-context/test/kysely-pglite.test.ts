// The Kysely adapter on PGlite (through a small PGlite dialect): the same guarantees as on the real
// PostgreSQL, on the runtimes where PGlite runs.
import type { PGlite } from "@electric-sql/pglite";
import { err, ok } from "@keel/result";
import { runtime } from "@keel/testing";
import { Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TenantContextMissing } from "../src/index.ts";
import { createTenantTransaction } from "../src/kysely.ts";
import { acme, type ProjectsDatabase as Database, globex, interleave, tenants, tick } from "./fixtures.ts";
import { createPgliteFixture } from "./pglite-fixture.ts";
import { PgliteDialect } from "./pglite-kysely-dialect.ts";

describe.skipIf(runtime === "workerd")(
  "Kysely on PGlite (skipped on workerd: it refuses to compile WebAssembly at run time)",
  () => {
    let client: PGlite;
    let db: Kysely<Database>;

    beforeAll(async () => {
      client = await createPgliteFixture();
      db = new Kysely<Database>({ dialect: new PgliteDialect(client) });
    }, 180_000); // a hang detector: PGlite's WebAssembly start alone took 46 s on Bun on a busy machine

    afterAll(async () => {
      await db?.destroy();
      await client?.close();
    });

    const setting = async () =>
      (
        await sql<{ value: string | null }>`select current_setting('app.tenant_id', true) as value`.execute(
          db,
        )
      ).rows[0]?.value;

    it("shows a tenant its own rows only, and nothing outside a tenant transaction", async () => {
      const withTenant = createTenantTransaction(db, { context: tenants });
      const rows = await tenants.run(globex, () =>
        withTenant((trx) => trx.selectFrom("projects").select(["tenant_id", "name"]).execute()),
      );
      expect(rows).toEqual([{ tenant_id: "globex", name: "Globex plan" }]);
      expect(await db.selectFrom("projects").selectAll().execute()).toEqual([]);
    });

    it("refuses to write a row for another tenant (WITH CHECK)", async () => {
      const withTenant = createTenantTransaction(db, { context: tenants });
      await expect(
        tenants.run(acme, () =>
          withTenant((trx) =>
            trx.insertInto("projects").values({ tenant_id: "globex", name: "x" }).execute(),
          ),
        ),
      ).rejects.toThrow(/row-level security/);
    });

    it("leaves no setting on the session after commit, a thrown error or an err Result, and rolls back", async () => {
      const withTenant = createTenantTransaction(db, { context: tenants });
      await tenants.run(acme, () => withTenant(async () => ok(1)));
      expect(await setting()).toBeFalsy();
      await expect(
        tenants.run(acme, () =>
          withTenant(async (trx) => {
            await trx.insertInto("projects").values({ tenant_id: "acme", name: "thrown away" }).execute();
            throw new Error("work failed");
          }),
        ),
      ).rejects.toThrow("work failed");
      expect(await setting()).toBeFalsy();
      const outcome = await tenants.run(acme, () =>
        withTenant(async (trx) => {
          await trx.insertInto("projects").values({ tenant_id: "acme", name: "rolled back" }).execute();
          return err("validation failed");
        }),
      );
      expect(outcome.isErr()).toBe(true);
      expect(await setting()).toBeFalsy();
      const names = await tenants.run(acme, () =>
        withTenant((trx) => trx.selectFrom("projects").select("name").orderBy("name").execute()),
      );
      expect(names.map((row) => row.name)).toEqual(["Acme launch", "Acme roadmap"]);
    });

    it("throws TenantContextMissing outside a tenant, and refuses a tenant transaction inside another", async () => {
      const withTenant = createTenantTransaction(db, { context: tenants });
      await expect(withTenant(async () => 1)).rejects.toBeInstanceOf(TenantContextMissing);
      await expect(tenants.run(acme, () => withTenant(() => withTenant(async () => 1)))).rejects.toThrow(
        TypeError,
      );
    });

    it("rejects when a query failed inside the work, even if the work caught it (no silent rollback)", async () => {
      const withTenant = createTenantTransaction(db, { context: tenants });
      await expect(
        tenants.run(acme, () =>
          withTenant(async (trx) => {
            await trx.insertInto("projects").values({ tenant_id: "acme", name: "lost" }).execute();
            await sql`select 1/0`.execute(trx).catch(() => {});
            return "looks fine";
          }),
        ),
      ).rejects.toThrow(/aborted/);
      const names = await tenants.run(acme, () =>
        withTenant((trx) => trx.selectFrom("projects").select("name").execute()),
      );
      expect(names.map((row) => row.name)).not.toContain("lost");
    });

    it("keeps 200 interleaved transactions of two tenants apart, with random awaits", {
      timeout: 120_000, // a hang detector
    }, async () => {
      const withTenant = createTenantTransaction(db, { context: tenants });
      const { leaked, seen } = await interleave(200, (i) =>
        withTenant(async (trx) => {
          await tick(i % 2);
          return await trx.selectFrom("projects").select("tenant_id").execute();
        }),
      );
      expect(leaked).toBe(0);
      expect(seen).toBe(300); // acme's two rows 100 times, globex's one 100 times
    });

    it("uses the setting it is given, and refuses a malformed one at set-up", async () => {
      const withTenant = createTenantTransaction(db, { context: tenants, setting: "app.other_tenant" });
      const value = await tenants.run(acme, () =>
        withTenant(
          async (trx) =>
            (await sql<{ value: string }>`select current_setting('app.other_tenant') as value`.execute(trx))
              .rows[0]?.value,
        ),
      );
      expect(value).toBe("acme");
      expect(() => createTenantTransaction(db, { context: tenants, setting: "tenant; drop" })).toThrow(
        TypeError,
      );
    });
  },
);
