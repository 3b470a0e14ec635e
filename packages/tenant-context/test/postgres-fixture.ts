// A throwaway schema and app role on the real PostgreSQL, for the row-level security tests: tables owned by
// the admin (a superuser), policies from tenantPolicySql, and a role that owns nothing, as the README says
// a service should connect. Dropped at the end.
import { requireService } from "@keel/testing/services";
import pg from "pg";
import { type TenantTransaction, tenantPolicySql } from "../src/index.ts";
import { acme, tenants } from "./fixtures.ts";

export interface PostgresFixture {
  readonly schema: string;
  readonly role: string;
  /** The connection string of the app role. */
  readonly appUrl: string;
  readonly admin: pg.Pool;
  drop(): Promise<void>;
}

export const seedRows: readonly { tenant: string; name: string }[] = [
  { tenant: "acme", name: "Acme roadmap" },
  { tenant: "acme", name: "Acme launch" },
  { tenant: "globex", name: "Globex secret plan" },
];

export async function createPostgresFixture(): Promise<PostgresFixture> {
  const service = await requireService("postgres");
  if (service.skip) throw new Error(service.reason);
  // The default URL names no user; PostgreSQL here trusts local connections, and the admin must be a superuser.
  const adminUrl = new URL(service.url);
  if (adminUrl.username === "") adminUrl.username = "postgres";
  const admin = new pg.Pool({ connectionString: adminUrl.href, max: 1 });
  const suffix = crypto.randomUUID().replaceAll("-", "").slice(0, 12);
  const schema = `tc_${suffix}`;
  const role = `tc_app_${suffix}`;
  await admin.query(`create role ${role} login nosuperuser nobypassrls`);
  await admin.query(`create schema ${schema}`);
  await admin.query(`grant usage on schema ${schema} to ${role}`);
  await admin.query(
    `create table ${schema}.projects (id serial primary key, tenant_id text not null, name text not null)`,
  );
  await admin.query(tenantPolicySql({ table: `${schema}.projects` }));
  await admin.query(`grant select, insert, update, delete on ${schema}.projects to ${role}`);
  await admin.query(`grant usage on sequence ${schema}.projects_id_seq to ${role}`);
  for (const row of seedRows) {
    await admin.query(`insert into ${schema}.projects (tenant_id, name) values ($1, $2)`, [
      row.tenant,
      row.name,
    ]);
  }
  const appUrl = new URL(service.url);
  appUrl.username = role;
  return {
    schema,
    role,
    appUrl: appUrl.href,
    admin,
    async drop() {
      await admin.query(`drop schema ${schema} cascade`);
      // The role, and any role a test made beside it (${role}_strong...).
      const { rows } = await admin.query<{ name: string }>(
        "select rolname as name from pg_roles where rolname = $1 or rolname like $1 || '\\_%' order by length(rolname) desc",
        [role],
      );
      for (const { name } of rows) {
        await admin.query(`drop owned by ${name}`);
        await admin.query(`drop role ${name}`);
      }
      await admin.end();
    },
  };
}

/** The project names acme sees through a pg tenant transaction, sorted: its two rows when all is well. */
export async function acmeProjectNames(
  withTenant: TenantTransaction<pg.PoolClient>,
  projects: string,
): Promise<string[]> {
  const rows = await tenants.run(acme, () =>
    withTenant(async (client) => (await client.query<{ name: string }>(`select name from ${projects}`)).rows),
  );
  return rows.map((row) => row.name).sort();
}
