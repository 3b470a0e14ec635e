// DB_POOL_SIZE: checked by the config, and, through the settings start-up opens PostgreSQL with, the number of
// connections the app role's pool opens, counted by the backend ids that concurrent tenant transactions see
// on the real PostgreSQL.

import { loadConfig } from "@keel/secure-config";
import { onRuntime } from "@keel/testing/example-server";
import { requireService } from "@keel/testing/services";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { spec } from "../src/config.ts";
import { openPostgres } from "../src/database.ts";
import { TenantId } from "../src/ids.ts";
import { postgresSettings } from "../src/start.ts";
import { tenants } from "../src/tenant.ts";

const service = await requireService("postgres");
const jwt = { JWT_SECRET: "k".repeat(32) };

describe("DB_POOL_SIZE", onRuntime("node"), () => {
  const schema = `ref_pool_${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;
  const adminUrl = new URL(service.skip ? "postgres://unused" : service.url);
  if (adminUrl.username === "") adminUrl.username = "postgres";

  afterAll(async () => {
    if (service.skip) return;
    const admin = postgres(adminUrl.href, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop schema if exists ${schema} cascade`);
    await admin.end();
  });

  it("defaults to 10 and refuses anything but a whole number from 1", () => {
    const config = loadConfig(spec, { source: jwt });
    expect(config.isOk() && config.value.DB_POOL_SIZE).toBe(10);
    for (const bad of ["0", "-1", "2.5", "1001", "many"]) {
      expect(loadConfig(spec, { source: { ...jwt, DB_POOL_SIZE: bad } }).isErr()).toBe(true);
    }
    const set = loadConfig(spec, { source: { ...jwt, DB_POOL_SIZE: "16" } });
    expect(set.isOk() && set.value.DB_POOL_SIZE).toBe(16);
  });

  it("is how many connections the pool opens: 6 transactions at once on a pool of 2 see 2 backends", async () => {
    if (service.skip) throw new Error(service.reason);
    const config = loadConfig(spec, {
      source: { ...jwt, DATABASE_URL: adminUrl.href, DB_SCHEMA: schema, DB_POOL_SIZE: "2" },
    });
    const settings = config.isOk() ? postgresSettings(config.value) : undefined;
    if (settings === undefined) throw new Error("expected PostgreSQL settings");
    const database = await openPostgres(tenants, settings);
    try {
      const tenant = { id: TenantId.generate(), slug: "pool", name: "Pool" };
      const pids = await tenants.run(tenant, () =>
        Promise.all(
          Array.from({ length: 6 }, () =>
            database.withTenant(async (query) => {
              // Held for a moment, so that the six overlap and the pool has to open what it may.
              const [row] = await query("select pg_backend_pid() as pid, pg_sleep(0.05)", []);
              return row?.pid;
            }),
          ),
        ),
      );
      expect(new Set(pids).size).toBe(2);
    } finally {
      await database.close();
    }
  });
});
