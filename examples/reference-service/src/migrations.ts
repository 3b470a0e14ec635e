/**
 * @module
 * The schema, as numbered SQL migrations applied in order at start-up, each once (recorded in
 * `schema_migrations`, under an advisory lock so that processes starting together do not race). They live
 * in code, not `.sql` files, so that a Worker bundle carries them too.
 *
 * Every table holding tenant rows has a `tenant_id` column that defaults to the transaction's tenant, and
 * `tenantPolicySql` puts it under forced row-level security. `tenants` is the directory (no tenant rows),
 * which sign-up writes and login reads before a tenant is known.
 */
import { tenantPolicySql } from "@keel/tenant-context";

/** The role the app connects as: it may log in, and owns nothing, so row-level security binds it. */
export const APP_ROLE = "keel_reference_app";

const TENANT_TABLES = ["users", "invitations", "refresh_tokens", "projects", "tasks"] as const;

// Ids are `@keel/brand` prefixed UUIDv7s: "C" collation orders them bytewise, that is by creation time.
const tenantColumn = `tenant_id text collate "C" not null default current_setting('app.tenant_id', true)`;

/** The migrations, in order. Never edit one that has shipped: add the next. */
export const migrations: readonly { readonly id: string; readonly sql: string }[] = [
  {
    id: "001_tenants_users_projects_tasks",
    sql: `
      create table tenants (
        id text collate "C" primary key,
        slug text not null unique,
        name text not null,
        created_at timestamptz not null default now()
      );
      create table users (
        id text collate "C" primary key,
        ${tenantColumn} references tenants (id),
        email text not null,
        password_hash text not null,
        role text not null check (role in ('owner', 'member')),
        created_at timestamptz not null default now(),
        unique (tenant_id, id)
      );
      -- One user per address and workspace, whatever the case of its letters.
      create unique index users_email on users (tenant_id, lower(email));
      create table invitations (
        id text collate "C" primary key,
        ${tenantColumn} references tenants (id),
        email text not null,
        role text not null check (role in ('owner', 'member')),
        token_hash text not null unique,
        invited_by text collate "C" not null,
        expires_at timestamptz not null,
        accepted_at timestamptz,
        foreign key (tenant_id, invited_by) references users (tenant_id, id)
      );
      create table refresh_tokens (
        token_hash text primary key,
        ${tenantColumn},
        user_id text collate "C" not null,
        family text not null,
        expires_at timestamptz not null,
        -- No rotation outlives the login that started the family.
        family_expires_at timestamptz not null,
        used_at timestamptz,
        revoked_at timestamptz,
        foreign key (tenant_id, user_id) references users (tenant_id, id) on delete cascade
      );
      create index refresh_tokens_family on refresh_tokens (tenant_id, family);
      create table projects (
        id text collate "C" primary key,
        ${tenantColumn} references tenants (id),
        name text not null,
        created_at timestamptz not null default now(),
        unique (tenant_id, id)
      );
      create table tasks (
        id text collate "C" primary key,
        ${tenantColumn},
        project_id text collate "C" not null,
        title text not null,
        done boolean not null default false,
        created_at timestamptz not null default now(),
        -- The tenant is part of the reference: no task can point at another tenant's project.
        foreign key (tenant_id, project_id) references projects (tenant_id, id) on delete cascade
      );
      create index tasks_by_project on tasks (tenant_id, project_id, id);
      ${TENANT_TABLES.map((table) => tenantPolicySql({ table })).join("\n")}
    `,
  },
];

/** The app role's rights: rows through row-level security, the directory read and added to, nothing owned. */
export function grants(schema: string): string {
  return `
    grant usage on schema ${schema} to ${APP_ROLE};
    grant select, insert on ${schema}.tenants to ${APP_ROLE};
    grant select, insert, update, delete on ${TENANT_TABLES.map((table) => `${schema}.${table}`).join(", ")}
      to ${APP_ROLE};`;
}

/** Creates the app role once: not a superuser, no BYPASSRLS. */
export const createAppRole = `
  do $$ begin
    create role ${APP_ROLE} login nosuperuser nobypassrls;
  exception when duplicate_object or unique_violation then null;
  end $$;`;

/** A transaction of the admin connection, as the migration runner needs it. */
export interface MigrationTransaction {
  exec(sql: string): Promise<void>;
  query(sql: string, params: readonly unknown[]): Promise<readonly Record<string, unknown>[]>;
}

/**
 * Applies the pending migrations in `schema` inside the caller's transaction, after taking a transaction
 * advisory lock; returns the ids applied now.
 */
export async function migrate(tx: MigrationTransaction, schema: string): Promise<string[]> {
  await tx.exec("select pg_advisory_xact_lock(hashtext('keel reference-service migrations'))");
  await tx.exec(`${createAppRole}
    create schema if not exists ${schema};
    set local search_path to ${schema};
    create table if not exists schema_migrations (id text primary key, applied_at timestamptz not null default now());`);
  const done = new Set((await tx.query("select id from schema_migrations", [])).map((row) => row.id));
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.id)) continue;
    await tx.exec(migration.sql);
    await tx.query("insert into schema_migrations (id) values ($1)", [migration.id]);
    applied.push(migration.id);
  }
  await tx.exec(grants(schema));
  return applied;
}

/** A schema name is written into SQL: a plain lower-case identifier only (`DB_SCHEMA` is checked with it). */
export const SCHEMA_NAME: RegExp = /^[a-z_][a-z0-9_]{0,62}$/;
