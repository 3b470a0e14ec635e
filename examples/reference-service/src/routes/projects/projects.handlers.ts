/**
 * @module
 * The project handlers: each runs inside the token's tenant (the `/api` middleware resolved it), and its
 * queries inside that tenant's transaction. Another tenant's project is simply not there: a 404.
 */
import { NotFound } from "../../problems.ts";
import { inTenant } from "../../services.ts";
import type { AppRouteHandler } from "../router.ts";
import { findProject, insertProject, listProjects } from "./projects.queries.ts";
import type * as routes from "./projects.routes.ts";

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const { limit, cursor } = c.req.valid("query");
  return c.json(await inTenant(c, (query) => listProjects(query, { limit, cursor })), 200);
};

export const create: AppRouteHandler<typeof routes.create> = async (c) => {
  const { name } = c.req.valid("json");
  return c.json(await inTenant(c, (query) => insertProject(query, name)), 201);
};

export const getOne: AppRouteHandler<typeof routes.getOne> = async (c) => {
  const { projectId } = c.req.valid("param");
  const project = await inTenant(c, (query) => findProject(query, projectId));
  if (project === undefined) throw new NotFound();
  return c.json(project, 200);
};
