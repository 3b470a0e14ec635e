/**
 * @module
 * The project routes, as OpenAPI declarations: what each takes and answers, validated before its handler.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { ProjectIdSchema } from "../../ids.ts";
import { NewProject, Project, pageOf, pageQuery } from "../../schemas.ts";
import { apiProblems, bearerAuth, bodyProblems, json, problemResponses } from "../router.ts";

const tags = ["Projects"];

export const list = createRoute({
  method: "get",
  path: "/projects",
  summary: "The workspace's projects, oldest first",
  tags,
  security: bearerAuth,
  request: { query: pageQuery(ProjectIdSchema) },
  responses: {
    200: { description: "A page", ...json(pageOf(Project, "ProjectPage")) },
    ...apiProblems,
    ...problemResponses(422),
  },
});

export const create = createRoute({
  method: "post",
  path: "/projects",
  summary: "Create a project",
  tags,
  security: bearerAuth,
  request: { body: { ...json(NewProject), required: true } },
  responses: { 201: { description: "Created", ...json(Project) }, ...apiProblems, ...bodyProblems },
});

export const projectParams = z.object({ projectId: ProjectIdSchema });

export const getOne = createRoute({
  method: "get",
  path: "/projects/{projectId}",
  summary: "One project",
  tags,
  security: bearerAuth,
  request: { params: projectParams },
  responses: {
    200: { description: "The project", ...json(Project) },
    ...apiProblems,
    ...problemResponses(422),
  },
});
