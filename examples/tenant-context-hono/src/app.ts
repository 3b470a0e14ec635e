/**
 * @module
 * A two-tenant projects API showing `@keel/tenant-context` on Hono: the tenant middleware resolves each
 * request's tenant and runs the handlers inside it; every query runs in a tenant transaction, and the SQL
 * has no `where tenant_id = ...` at all: PostgreSQL's row-level security filters, so a forgotten filter
 * cannot leak another tenant's rows.
 *
 * This file is runtime-neutral; `node.ts`, `bun.ts`, `deno.ts` and `worker.ts` only serve it.
 */
import { createProblemMapper, err, ok, TaggedError } from "@keel/result";
import { createResponder, problemOnError } from "@keel/result/hono";
import {
  createTenantContext,
  createTenantResolver,
  headerSource,
  type TenantContext,
  TenantNotFound,
  type TenantResolutionError,
  tenantProblemStatuses,
} from "@keel/tenant-context";
import { tenant } from "@keel/tenant-context/hono";
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import * as z from "zod";
import type { Database } from "./database.ts";

/** The tenants this demo serves. A real service looks them up in its own directory. */
const directory = new Map([
  ["acme", { id: "acme", name: "Acme Corp" }],
  ["globex", { id: "globex", name: "Globex" }],
]);
type Tenant = { readonly id: string; readonly name: string };

class ProjectNotFound extends TaggedError("ProjectNotFound") {}
class InvalidProject extends TaggedError("InvalidProject") {}
type AppError = TenantResolutionError | ProjectNotFound | InvalidProject;

/** The service's tenant context: the database runs each transaction for its current tenant. */
export const tenants: TenantContext<Tenant> = createTenantContext<Tenant>();
const resolve = createTenantResolver({
  // A demo reads the tenant from a header; a real service also checks it against a verified token claim
  // (`claimSource("tid")`), and the resolver refuses the request when the two disagree.
  sources: [headerSource("x-tenant-id")],
  id: z.string().regex(/^[a-z0-9-]{1,63}$/),
  lookup: (id) => {
    const tenant = directory.get(id);
    return tenant === undefined ? err(new TenantNotFound()) : ok(tenant);
  },
  cache: { ttlMs: 60_000, maxEntries: 1000 },
});

const problems = createProblemMapper<AppError["_tag"]>({
  statuses: { ...tenantProblemStatuses, ProjectNotFound: 404, InvalidProject: 400 },
  onUnexpected: ({ error, correlationId }) =>
    console.error(
      JSON.stringify({
        msg: "unexpected error",
        correlationId,
        ...tenants.logFields(),
        error: String(error),
      }),
    ),
});
const respond = createResponder(problems);

const NewProject = z.object({ name: z.string().trim().min(1).max(200) });
const ProjectId = z.uuid();

/** Builds the app over the database that `database()` gives (Workers open it on their first request). */
export function createApp(database: () => Promise<Database>): Hono {
  const projects = new Hono()
    .use(tenant({ context: tenants, resolve }))
    .get("/", async (c) => {
      const rows = await (await database()).withTenant((query) =>
        query("select id, tenant_id, name from projects order by name", []),
      );
      return c.json({ tenant: c.var.tenant.name, projects: rows });
    })
    .post("/", async (c) => {
      const body = NewProject.safeParse(await c.req.json().catch(() => undefined));
      if (!body.success) return respond(c, err(new InvalidProject()));
      // No tenant_id in the insert: the column defaults to the transaction's tenant, and the policy's
      // WITH CHECK refuses any other.
      const [row] = await (await database()).withTenant((query) =>
        query("insert into projects (name) values ($1) returning id, tenant_id, name", [body.data.name]),
      );
      return c.json(row, 201);
    })
    .get("/:id", async (c) => {
      const id = ProjectId.safeParse(c.req.param("id"));
      if (!id.success) return respond(c, err(new ProjectNotFound()));
      const [row] = await (await database()).withTenant((query) =>
        query("select id, tenant_id, name from projects where id = $1", [id.data]),
      );
      // Another tenant's project is simply not visible: the same 404 as one that does not exist.
      return respond(c, row === undefined ? err(new ProjectNotFound()) : ok(row));
    });
  const app = new Hono()
    .use(requestId())
    .get("/healthz", (c) => c.json({ ok: true }))
    .route("/projects", projects);
  app.onError(problemOnError(problems));
  return app;
}
