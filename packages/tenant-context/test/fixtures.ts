// What the tenant transaction tests share: one tenant context, the two tenants of the seeded rows
// (postgres-fixture.ts, pglite-fixture.ts), and a wait that lets other transactions interleave.
import type { Generated } from "kysely";
import { createTenantContext, type TenantContext } from "../src/index.ts";

export const tenants: TenantContext<{ id: string }> = createTenantContext<{ id: string }>();
export const acme: { readonly id: string } = { id: "acme" };
export const globex: { readonly id: string } = { id: "globex" };

export const tick = (ms: number): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, ms));

/** The seeded `projects` table, as Kysely sees it. */
export interface ProjectsDatabase {
  projects: { id: Generated<number>; tenant_id: string; name: string };
}

/**
 * Runs `count` tenant transactions at once, acme and globex in turn: `read(i)` runs in the tenant's context,
 * opens the transaction and returns the rows it saw. Counts all rows seen and those of another tenant.
 */
export async function interleave(
  count: number,
  read: (i: number) => Promise<readonly { tenant_id: string }[]>,
): Promise<{ seen: number; leaked: number }> {
  let seen = 0;
  let leaked = 0;
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const tenant = i % 2 === 0 ? acme : globex;
      const rows = await tenants.run(tenant, () => read(i));
      seen += rows.length;
      leaked += rows.filter((row) => row.tenant_id !== tenant.id).length;
    }),
  );
  return { seen, leaked };
}
