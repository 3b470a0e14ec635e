// The CI check the README shows: `keel-rls-check` (the bin of @keel/tenant-context, from its dist) run
// against a database the migrations set up, connected as the app role. It passes on the migrated schema,
// and fails, naming the table and the reason, once a migration adds a tenant table without isolation.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { onRuntime } from "@keel/testing/example-server";
import { runProcess } from "@keel/testing/process";
import { requireService } from "@keel/testing/services";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_ROLE, migrate } from "../src/migrations.ts";

const dir = fileURLToPath(new URL("..", import.meta.url));
const service = await requireService("postgres");

// The bin as npm links it (`npx keel-rls-check`): package.json "bin" of the installed package.
const manifestPath = createRequire(import.meta.url).resolve("@keel/tenant-context/package.json");
const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { bin: Record<string, string> };
const bin = join(dirname(manifestPath), manifest.bin["keel-rls-check"] ?? "");

describe("keel-rls-check against the migrated database", onRuntime("node"), () => {
  const schema = `ref_rls_${crypto.randomUUID().replaceAll("-", "").slice(0, 10)}`;
  let admin: postgres.Sql;
  let appUrl: string;

  beforeAll(async () => {
    if (service.skip) throw new Error(service.reason);
    const adminUrl = new URL(service.url);
    if (adminUrl.username === "") adminUrl.username = "postgres";
    admin = postgres(adminUrl.href, { max: 1, onnotice: () => {} });
    await admin.begin((tx) =>
      migrate(
        {
          exec: async (sql) => void (await tx.unsafe(sql)),
          query: (text, params) => tx.unsafe(text, params as postgres.ParameterOrJSON<never>[]),
        },
        schema,
      ),
    );
    const app = new URL(adminUrl.href);
    app.username = APP_ROLE;
    appUrl = app.href;
  }, 60_000);

  afterAll(async () => {
    await admin?.unsafe(`drop schema if exists ${schema} cascade`);
    await admin?.end();
  });

  const check = () =>
    runProcess(
      process.execPath,
      [bin, "--database-url", appUrl, "--setting", "app.tenant_id", "--schema", schema],
      { cwd: dir, timeoutMs: 60_000 },
    );

  it("passes on the migrated schema, and fails naming a tenant table a migration left without isolation", async () => {
    const passed = await check();
    expect(passed.output).toContain("row-level security is in force on 5 tenant table(s)");
    expect(passed.code).toBe(0);

    await admin.unsafe(
      `create table ${schema}.comments (id text primary key, tenant_id text not null, body text)`,
    );
    await admin.unsafe(`grant select, insert, update, delete on ${schema}.comments to ${APP_ROLE}`);
    const failed = await check();
    expect(failed.code).toBe(1);
    expect(failed.output).toContain(`${schema}.comments: row-level security is not enabled`);
    expect(failed.output).toContain(`${schema}.comments: has no policy`);
  });
});
