/**
 * @module
 * The project queries, each run inside the caller's tenant transaction. None names a tenant: row-level
 * security shows only the tenant's rows, and `tenant_id` defaults to the transaction's tenant.
 */
import type { z } from "@hono/zod-openapi";
import type { SqlQuery } from "@keel/tenant-context";
import { ProjectId } from "../../ids.ts";
import type { Project } from "../../schemas.ts";
import { iso, page, type Row } from "../rows.ts";

export type ProjectBody = z.infer<typeof Project>;

const COLUMNS = "id, name, created_at";
const projectOf = (row: Row): ProjectBody => ({
  id: row.id as ProjectId,
  name: String(row.name),
  createdAt: iso(row.created_at),
});

/** A page of the tenant's projects after `cursor`, oldest first. */
export async function listProjects(
  query: SqlQuery,
  { limit, cursor }: { readonly limit: number; readonly cursor?: ProjectId | undefined },
) {
  const rows = await query(
    `select ${COLUMNS} from projects where ($1::text is null or id > $1) order by id limit $2`,
    [cursor ?? null, limit + 1],
  );
  return page(rows, limit, projectOf);
}

/** A new project of the tenant. */
export async function insertProject(query: SqlQuery, name: string): Promise<ProjectBody> {
  // No tenant_id: the column defaults to the transaction's tenant, and the policy's WITH CHECK refuses
  // any other.
  const [row] = await query(`insert into projects (id, name) values ($1, $2) returning ${COLUMNS}`, [
    ProjectId.generate(),
    name,
  ]);
  if (row === undefined) throw new Error("insert into projects returned no row");
  return projectOf(row);
}

/** The project, or `undefined` when it does not exist or is another tenant's (the two look the same). */
export async function findProject(query: SqlQuery, id: ProjectId): Promise<ProjectBody | undefined> {
  const [row] = await query(`select ${COLUMNS} from projects where id = $1`, [id]);
  return row === undefined ? undefined : projectOf(row);
}
