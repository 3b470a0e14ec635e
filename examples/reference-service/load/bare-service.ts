/**
 * The load test's baseline, not an example to copy: the same task routes, Zod schemas and SQL on plain
 * Hono and postgres.js, with the security stack (headers, CORS, CSRF, body limit, client address, JWT, rate
 * limits) and tenancy (tenant resolution, tenant transactions, row-level security) removed. It connects as
 * the admin role, which bypasses row-level security, and runs each statement on its own; with
 * `BARE_TENANT_TRANSACTIONS=1` it runs each in a tenant transaction, as the service does
 * (`createTenantTransaction` of `@keel/tenant-context/postgres`, for one fixed tenant), to measure what that
 * part costs alone.
 */
import { serve } from "@hono/node-server";
import { createTenantContext } from "@keel/tenant-context";
import { createTenantTransaction } from "@keel/tenant-context/postgres";
import { Hono } from "hono";
import postgres from "postgres";
import { TaskId } from "../src/ids.ts";
import { createLogger } from "../src/logger.ts";
import { NewTask, TaskChange } from "../src/schemas.ts";

const schema = process.env.DB_SCHEMA ?? "reference";
const sql = postgres(process.env.DATABASE_URL ?? "", {
  max: Number(process.env.DB_POOL_SIZE ?? "10"),
  onnotice: () => {},
  connection: { search_path: schema },
});
const log = createLogger();
const tenants = createTenantContext<{ id: string }>();
const loadTenant = { id: "tnt_load" };
const withTenant = createTenantTransaction<postgres.TransactionSql>(sql, { context: tenants });
const tenantTransactions = process.env.BARE_TENANT_TRANSACTIONS === "1";
// Prepared, as the service's queries are.
const query = (text: string, params: postgres.ParameterOrJSON<never>[]) =>
  tenantTransactions
    ? tenants.run(loadTenant, () => withTenant((tx) => tx.unsafe(text, params, { prepare: true })))
    : sql.unsafe(text, params, { prepare: true });
const taskColumns = "id, project_id, title, done, created_at";

const app = new Hono()
  .use(async (c, next) => {
    const started = performance.now();
    await next();
    log.info("request", {
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      durationMs: performance.now() - started,
    });
  })
  .get("/api/projects/:projectId", async (c) => {
    const [row] = await query("select id, name, created_at from projects where id = $1", [
      c.req.param("projectId"),
    ]);
    return row === undefined ? c.json({ title: "Not found" }, 404) : c.json(row);
  })
  .get("/api/projects/:projectId/tasks", async (c) => {
    const limit = Number(c.req.query("limit") ?? 20);
    const rows = await query(
      `select t.* from projects p left join lateral (
          select ${taskColumns} from tasks where project_id = p.id order by id limit $2
        ) t on true
        where p.id = $1`,
      [c.req.param("projectId"), limit + 1],
    );
    if (rows.length === 0) return c.json({ title: "Not found" }, 404);
    const tasks = rows.filter((row) => row.id !== null);
    return c.json({
      items: tasks.slice(0, limit),
      nextCursor: tasks.length > limit ? tasks[limit - 1]?.id : null,
    });
  })
  .post("/api/projects/:projectId/tasks", async (c) => {
    const body = NewTask.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return c.json({ title: "Invalid" }, 422);
    const [row] = await query(
      `insert into tasks (id, tenant_id, project_id, title) select $1, tenant_id, id, $3 from projects where id = $2
       returning ${taskColumns}`,
      [TaskId.generate(), c.req.param("projectId"), body.data.title],
    );
    return row === undefined ? c.json({ title: "Not found" }, 404) : c.json(row, 201);
  })
  .patch("/api/tasks/:taskId", async (c) => {
    const change = TaskChange.safeParse(await c.req.json().catch(() => undefined));
    if (!change.success) return c.json({ title: "Invalid" }, 422);
    const [row] = await query(
      `update tasks set title = coalesce($2, title), done = coalesce($3, done) where id = $1 returning ${taskColumns}`,
      [c.req.param("taskId"), change.data.title ?? null, change.data.done ?? null],
    );
    return row === undefined ? c.json({ title: "Not found" }, 404) : c.json(row);
  });

const server = serve(
  { fetch: app.fetch, port: Number(process.env.PORT ?? 3001), hostname: "127.0.0.1" },
  (info) => console.log(`bare service listening on http://127.0.0.1:${info.port}`),
);
process.on("SIGTERM", () => server.close(() => void sql.end().then(() => process.exit(0))));
