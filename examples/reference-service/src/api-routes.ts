/**
 * @module
 * The API behind an access token, mounted at `/api`: every handler runs inside the token's tenant, and
 * every query inside that tenant's transaction. The SQL has no `where tenant_id = ...`: row-level security
 * filters, so another tenant's row is simply not there (404), and a forgotten filter cannot leak one.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { SqlQuery } from "@keel/tenant-context";
import { InvitationId, ProjectId, ProjectIdSchema, TaskId, TaskIdSchema } from "./ids.ts";
import { newToken, tokenHash } from "./opaque-token.ts";
import { Forbidden, NotFound } from "./problems.ts";
import { json, problem, problemResponses, router } from "./routing.ts";
import {
  Invitation,
  Invite,
  Me,
  NewProject,
  NewTask,
  Project,
  pageOf,
  pageQuery,
  Task,
  TaskChange,
} from "./schemas.ts";
import type { AppEnv, Services } from "./services.ts";

const INVITATION_LIFETIME_SEC = 7 * 24 * 60 * 60;
const security = [{ bearerAuth: [] }];
// Every /api route: a bad or unknown tenant (400, 404), no or a bad token (401), a refused tenant or role
// (403), the rate limit (429), the store or database down (503).
const authProblems = problemResponses(400, 401, 403, 404, 429, 503);
/** And a route with a body: too large (413), not JSON (415), invalid (422). */
const bodyProblems = problemResponses(413, 415, 422);

const meRoute = createRoute({
  method: "get",
  path: "/me",
  summary: "Who the access token is",
  security,
  responses: { 200: { description: "The caller", ...json(Me) }, ...authProblems },
});
const inviteRoute = createRoute({
  method: "post",
  path: "/invitations",
  summary: "Invite a user to the workspace (owners only); the token is shown once, to send to them",
  security,
  request: { body: { ...json(Invite), required: true } },
  responses: {
    201: { description: "Invited", ...json(Invitation) },
    ...authProblems,
    ...bodyProblems,
  },
});
const listProjectsRoute = createRoute({
  method: "get",
  path: "/projects",
  summary: "The workspace's projects, oldest first",
  security,
  request: { query: pageQuery(ProjectIdSchema) },
  responses: {
    200: { description: "A page", ...json(pageOf(Project, "ProjectPage")) },
    ...authProblems,
    ...problemResponses(422),
  },
});
const createProjectRoute = createRoute({
  method: "post",
  path: "/projects",
  summary: "Create a project",
  security,
  request: { body: { ...json(NewProject), required: true } },
  responses: { 201: { description: "Created", ...json(Project) }, ...authProblems, ...bodyProblems },
});
const projectParams = z.object({ projectId: ProjectIdSchema });
const getProjectRoute = createRoute({
  method: "get",
  path: "/projects/{projectId}",
  summary: "One project",
  security,
  request: { params: projectParams },
  responses: {
    200: { description: "The project", ...json(Project) },
    ...authProblems,
    ...problemResponses(422),
  },
});
const listTasksRoute = createRoute({
  method: "get",
  path: "/projects/{projectId}/tasks",
  summary: "A project's tasks, oldest first",
  security,
  request: { params: projectParams, query: pageQuery(TaskIdSchema) },
  responses: {
    200: { description: "A page", ...json(pageOf(Task, "TaskPage")) },
    ...authProblems,
    ...problemResponses(422),
  },
});
const createTaskRoute = createRoute({
  method: "post",
  path: "/projects/{projectId}/tasks",
  summary: "Add a task to a project",
  security,
  request: { params: projectParams, body: { ...json(NewTask), required: true } },
  responses: {
    201: { description: "Created", ...json(Task) },
    ...authProblems,
    ...bodyProblems,
  },
});
const updateTaskRoute = createRoute({
  method: "patch",
  path: "/tasks/{taskId}",
  summary: "Rename a task or mark it done",
  security,
  request: { params: z.object({ taskId: TaskIdSchema }), body: { ...json(TaskChange), required: true } },
  responses: {
    200: { description: "The task", ...json(Task) },
    ...authProblems,
    ...bodyProblems,
  },
});

type Row = Readonly<Record<string, unknown>>;
const iso = (value: unknown): string =>
  (value instanceof Date ? value : new Date(String(value))).toISOString();
const projectOf = (row: Row) => ({
  id: row.id as ProjectId,
  name: String(row.name),
  createdAt: iso(row.created_at),
});
const taskOf = (row: Row) => ({
  id: row.id as TaskId,
  projectId: row.project_id as ProjectId,
  title: String(row.title),
  done: row.done === true,
  createdAt: iso(row.created_at),
});

/** Keyset pagination: one row more than asked tells whether there is a next page. */
function page<T>(rows: readonly Row[], limit: number, map: (row: Row) => T & { id: string }) {
  const items = rows.slice(0, limit).map(map);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

const projectExists = async (query: SqlQuery, id: ProjectId): Promise<boolean> =>
  (await query("select 1 from projects where id = $1", [id])).length === 1;

export function apiRoutes(services: Services): OpenAPIHono<AppEnv> {
  const { database, problems } = services;
  const transaction = async <T>(work: (query: SqlQuery) => Promise<T>): Promise<T> =>
    (await database()).withTenant(work);

  return router(problems)
    .openapi(meRoute, (c) =>
      c.json(
        {
          userId: c.var.claims.sub,
          tenantId: c.var.tenant.id,
          workspace: c.var.tenant.slug,
          role: c.var.claims.role,
        },
        200,
      ),
    )
    .openapi(inviteRoute, async (c) => {
      if (c.var.claims.role !== "owner") return problem(c, problems, new Forbidden());
      const body = c.req.valid("json");
      const token = newToken(c.var.tenant.id);
      const hash = await tokenHash(token);
      const [row] = await transaction((query) =>
        query(
          `insert into invitations (id, email, role, token_hash, invited_by, expires_at)
           values ($1, $2, $3, $4, $5, now() + make_interval(secs => $6)) returning expires_at`,
          [InvitationId.generate(), body.email, body.role, hash, c.var.claims.sub, INVITATION_LIFETIME_SEC],
        ),
      );
      c.header("Cache-Control", "no-store");
      return c.json({ email: body.email, role: body.role, expiresAt: iso(row?.expires_at), token }, 201);
    })
    .openapi(listProjectsRoute, async (c) => {
      const { limit, cursor } = c.req.valid("query");
      const rows = await transaction((query) =>
        query(
          "select id, name, created_at from projects where ($1::text is null or id > $1) order by id limit $2",
          [cursor ?? null, limit + 1],
        ),
      );
      return c.json(page(rows, limit, projectOf), 200);
    })
    .openapi(createProjectRoute, async (c) => {
      const { name } = c.req.valid("json");
      // No tenant_id in the insert: the column defaults to the transaction's tenant, and the policy's
      // WITH CHECK refuses any other.
      const [row] = await transaction((query) =>
        query("insert into projects (id, name) values ($1, $2) returning id, name, created_at", [
          ProjectId.generate(),
          name,
        ]),
      );
      return c.json(projectOf(row as Row), 201);
    })
    .openapi(getProjectRoute, async (c) => {
      const { projectId } = c.req.valid("param");
      const [row] = await transaction((query) =>
        query("select id, name, created_at from projects where id = $1", [projectId]),
      );
      return row === undefined ? problem(c, problems, new NotFound()) : c.json(projectOf(row), 200);
    })
    .openapi(listTasksRoute, async (c) => {
      const { projectId } = c.req.valid("param");
      const { limit, cursor } = c.req.valid("query");
      const rows = await transaction(async (query) =>
        (await projectExists(query, projectId))
          ? query(
              `select id, project_id, title, done, created_at from tasks
                where project_id = $1 and ($2::text is null or id > $2) order by id limit $3`,
              [projectId, cursor ?? null, limit + 1],
            )
          : undefined,
      );
      return rows === undefined
        ? problem(c, problems, new NotFound())
        : c.json(page(rows, limit, taskOf), 200);
    })
    .openapi(createTaskRoute, async (c) => {
      const { projectId } = c.req.valid("param");
      const { title } = c.req.valid("json");
      const [row] = await transaction(async (query) =>
        (await projectExists(query, projectId))
          ? query(
              "insert into tasks (id, project_id, title) values ($1, $2, $3) returning id, project_id, title, done, created_at",
              [TaskId.generate(), projectId, title],
            )
          : [],
      );
      return row === undefined ? problem(c, problems, new NotFound()) : c.json(taskOf(row), 201);
    })
    .openapi(updateTaskRoute, async (c) => {
      const { taskId } = c.req.valid("param");
      const change = c.req.valid("json");
      const [row] = await transaction((query) =>
        query(
          `update tasks set title = coalesce($2, title), done = coalesce($3, done) where id = $1
           returning id, project_id, title, done, created_at`,
          [taskId, change.title ?? null, change.done ?? null],
        ),
      );
      return row === undefined ? problem(c, problems, new NotFound()) : c.json(taskOf(row), 200);
    });
}
