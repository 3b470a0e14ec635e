// Run by scripts/consumer-check.ts against the packed tarball, on Node (import and require), Bun, Deno and
// workerd with only the nodejs_als flag. It imports the public specifiers only, exercises every entry
// point that needs no database, and throws on failure.
import { ok } from "@keel/result";
import {
  createTenantContext,
  createTenantResolver,
  headerSource,
  tenantJob,
  tenantPolicySql,
} from "@keel/tenant-context";
import { createTenantTransaction as drizzleTransaction } from "@keel/tenant-context/drizzle";
import { tenant } from "@keel/tenant-context/hono";
import { createTenantTransaction as kyselyTransaction } from "@keel/tenant-context/kysely";
import { createTenantTransaction as pgTransaction } from "@keel/tenant-context/pg";
import { createTenantTransaction as pgliteTransaction } from "@keel/tenant-context/pglite";
import { createTenantTransaction as postgresTransaction } from "@keel/tenant-context/postgres";

export default async function smoke() {
  const tenants = createTenantContext();
  const seen = await tenants.run({ id: "acme" }, async () => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return tenants.currentOrThrow().id;
  });
  if (seen !== "acme" || tenants.current().isOk()) throw new Error("AsyncLocalStorage context failed");

  const standardId = { "~standard": { version: 1, vendor: "smoke", validate: (value) => ({ value }) } };
  const resolve = createTenantResolver({
    sources: [headerSource("x-tenant-id")],
    id: standardId,
    lookup: (id) => ok({ id }),
  });
  const found = await resolve(new Request("https://api.test/", { headers: { "x-tenant-id": "acme" } }));
  if (!found.isOk() || found.value.id !== "acme") throw new Error("resolver failed");

  const job = tenants.run({ id: "acme" }, () => tenantJob(tenants, 1));
  if (job.tenantId !== "acme") throw new Error("tenantJob failed");
  if (!tenantPolicySql({ table: "tasks" }).includes("FORCE ROW LEVEL SECURITY"))
    throw new Error("policy sql");
  for (const factory of [
    tenant,
    pgTransaction,
    postgresTransaction,
    pgliteTransaction,
    drizzleTransaction,
    kyselyTransaction,
  ]) {
    if (typeof factory !== "function") throw new Error("entry point");
  }
  return "ok";
}
