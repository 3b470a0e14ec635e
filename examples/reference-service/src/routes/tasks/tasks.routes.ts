/**
 * @module
 * The task routes, as OpenAPI declarations: what each takes and answers, validated before its handler.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { TaskIdSchema } from "../../ids.ts";
import { NewTask, pageOf, pageQuery, Task, TaskChange } from "../../schemas.ts";
import { projectParams } from "../projects/projects.routes.ts";
import { apiProblems, bearerAuth, bodyProblems, json, problemResponses } from "../router.ts";

const tags = ["Tasks"];

export const list = createRoute({
  method: "get",
  path: "/projects/{projectId}/tasks",
  summary: "A project's tasks, oldest first",
  tags,
  security: bearerAuth,
  request: { params: projectParams, query: pageQuery(TaskIdSchema) },
  responses: {
    200: { description: "A page", ...json(pageOf(Task, "TaskPage")) },
    ...apiProblems,
    ...problemResponses(422),
  },
});

export const create = createRoute({
  method: "post",
  path: "/projects/{projectId}/tasks",
  summary: "Add a task to a project",
  tags,
  security: bearerAuth,
  request: { params: projectParams, body: { ...json(NewTask), required: true } },
  responses: { 201: { description: "Created", ...json(Task) }, ...apiProblems, ...bodyProblems },
});

export const patch = createRoute({
  method: "patch",
  path: "/tasks/{taskId}",
  summary: "Rename a task or mark it done",
  tags,
  security: bearerAuth,
  request: { params: z.object({ taskId: TaskIdSchema }), body: { ...json(TaskChange), required: true } },
  responses: { 200: { description: "The task", ...json(Task) }, ...apiProblems, ...bodyProblems },
});
