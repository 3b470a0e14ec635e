/**
 * @module
 * The task handlers: each runs inside the token's tenant, and its queries inside that tenant's
 * transaction. Another tenant's project or task is simply not there: a 404.
 */
import { NotFound } from "../../problems.ts";
import { inTenant } from "../../services.ts";
import type { AppRouteHandler } from "../router.ts";
import { insertTask, listTasks, updateTask } from "./tasks.queries.ts";
import type * as routes from "./tasks.routes.ts";

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const { projectId } = c.req.valid("param");
  const { limit, cursor } = c.req.valid("query");
  const tasks = await inTenant(c, (query) => listTasks(query, projectId, { limit, cursor }));
  if (tasks === undefined) throw new NotFound();
  return c.json(tasks, 200);
};

export const create: AppRouteHandler<typeof routes.create> = async (c) => {
  const { projectId } = c.req.valid("param");
  const { title } = c.req.valid("json");
  const task = await inTenant(c, (query) => insertTask(query, projectId, title));
  if (task === undefined) throw new NotFound();
  return c.json(task, 201);
};

export const patch: AppRouteHandler<typeof routes.patch> = async (c) => {
  const { taskId } = c.req.valid("param");
  const task = await inTenant(c, (query) => updateTask(query, taskId, c.req.valid("json")));
  if (task === undefined) throw new NotFound();
  return c.json(task, 200);
};
