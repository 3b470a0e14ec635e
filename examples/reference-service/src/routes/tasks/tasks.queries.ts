/**
 * @module
 * The task queries, each run inside the caller's tenant transaction: row-level security shows only the
 * tenant's projects and tasks, so a task is only ever added to, listed from or changed in one of them.
 */
import type { z } from "@hono/zod-openapi";
import type { SqlQuery } from "@keel/tenant-context";
import { type ProjectId, TaskId } from "../../ids.ts";
import type { Task } from "../../schemas.ts";
import { iso, page, type Row } from "../rows.ts";

export type TaskBody = z.infer<typeof Task>;

const COLUMNS = "id, project_id, title, done, created_at";
const taskOf = (row: Row): TaskBody => ({
  id: row.id as TaskId,
  projectId: row.project_id as ProjectId,
  title: String(row.title),
  done: row.done === true,
  createdAt: iso(row.created_at),
});

/**
 * A page of the project's tasks after `cursor`, oldest first; `undefined` when there is no such project.
 * One statement: the project's row, joined with its page of tasks (a row of nulls when it has none).
 */
export async function listTasks(
  query: SqlQuery,
  projectId: ProjectId,
  { limit, cursor }: { readonly limit: number; readonly cursor?: TaskId | undefined },
) {
  const rows = await query(
    `select t.* from projects p left join lateral (
        select ${COLUMNS} from tasks
         where project_id = p.id and ($2::text is null or id > $2) order by id limit $3
      ) t on true
      where p.id = $1`,
    [projectId, cursor ?? null, limit + 1],
  );
  if (rows.length === 0) return undefined;
  return page(
    rows.filter((row) => row.id !== null),
    limit,
    taskOf,
  );
}

/** A new task of the project; `undefined` when there is no such project. */
export async function insertTask(
  query: SqlQuery,
  projectId: ProjectId,
  title: string,
): Promise<TaskBody | undefined> {
  // From the project's row: no row (so no insert) when the tenant has no such project.
  const [row] = await query(
    `insert into tasks (id, project_id, title) select $1, id, $3 from projects where id = $2
      returning ${COLUMNS}`,
    [TaskId.generate(), projectId, title],
  );
  return row === undefined ? undefined : taskOf(row);
}

/** Renames the task and/or marks it done; `undefined` when there is no such task. */
export async function updateTask(
  query: SqlQuery,
  taskId: TaskId,
  change: { readonly title?: string | undefined; readonly done?: boolean | undefined },
): Promise<TaskBody | undefined> {
  const [row] = await query(
    `update tasks set title = coalesce($2, title), done = coalesce($3, done) where id = $1
     returning ${COLUMNS}`,
    [taskId, change.title ?? null, change.done ?? null],
  );
  return row === undefined ? undefined : taskOf(row);
}
