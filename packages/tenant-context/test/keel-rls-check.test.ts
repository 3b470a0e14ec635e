// The keel-rls-check bin, run from dist as a consumer's CI would, against the real PostgreSQL: exit 0 on
// isolated tables, 1 naming each table and reason, 2 when it cannot run. Build first (npm run build).
import { existsSync } from "node:fs";
import { runtime } from "@keel/testing";
import { runProcess } from "@keel/testing/process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresFixture, type PostgresFixture } from "./postgres-fixture.ts";

const bin = new URL("../dist/keel-rls-check.js", import.meta.url).pathname;
const cwd = new URL("..", import.meta.url).pathname;

describe.runIf(runtime === "node")("keel-rls-check (the bin is a Node script: run on the Node legs)", () => {
  let fixture: PostgresFixture;

  beforeAll(async () => {
    if (!existsSync(bin)) throw new Error(`${bin} is not built: run npm run build first`);
    fixture = await createPostgresFixture();
  }, 60_000);

  afterAll(async () => {
    await fixture?.drop();
  });

  const run = (...args: string[]) => runProcess(process.execPath, [bin, ...args], { cwd, timeoutMs: 60_000 });

  it("exits 0 for isolated tables, 1 naming a table added without isolation, 2 on a bad option", async () => {
    const ok = await run("--database-url", fixture.appUrl, "--setting", "app.tenant_id");
    expect(ok.output).toContain(
      `row-level security is in force on 1 tenant table(s): ${fixture.schema}.projects`,
    );
    expect(ok.code).toBe(0);

    // A migration that adds a tenant table and forgets its policy.
    await fixture.admin.query(`create table ${fixture.schema}.invoices (tenant_id text, total int)`);
    await fixture.admin.query(`grant select, insert on ${fixture.schema}.invoices to ${fixture.role}`);
    const failed = await run("--database-url", fixture.appUrl, "--setting", "app.tenant_id");
    expect(failed.code).toBe(1);
    expect(failed.output).toContain(`${fixture.schema}.invoices: row-level security is not enabled`);
    expect(failed.output).toContain(`${fixture.schema}.invoices: has no policy`);
    expect(failed.output).toContain(
      `${fixture.schema}.invoices: with no tenant set (unset), an INSERT of another tenant's row went through`,
    );

    const bad = await run("--database-url", fixture.appUrl, "--settings", "x");
    expect(bad.code).toBe(2);
    expect(bad.output).toContain("unknown option --settings");
  });
});
