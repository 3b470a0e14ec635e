// PGlite with the row-level security tests' table: `projects` with its policy from tenantPolicySql and
// acme's two rows and globex's one, used as the role `app` (no superuser, no BYPASSRLS, owns nothing), as
// postgres-fixture.ts sets up the real PostgreSQL.
import { PGlite } from "@electric-sql/pglite";
import { tenantPolicySql } from "../src/index.ts";

export async function createPgliteFixture(): Promise<PGlite> {
  const db = new PGlite();
  await db.exec(`
    create table projects (id serial primary key, tenant_id text not null, name text not null);
    ${tenantPolicySql({ table: "projects" })}
    insert into projects (tenant_id, name) values ('acme', 'Acme roadmap'), ('acme', 'Acme launch'), ('globex', 'Globex plan');
    create role app nosuperuser nobypassrls;
    grant select, insert, update, delete on projects to app;
    grant usage on sequence projects_id_seq to app;
    set role app;
  `);
  return db;
}
