/**
 * `@keel/tenant-context/hono`: resolve the tenant of each request and run the rest of the chain inside it,
 * with the tenant typed on `c.var.tenant`.
 *
 * @module
 */
import { createProblemMapper, type ProblemMapper } from "@keel/result";
import { problemResponse } from "@keel/result/hono";
// Brings Hono's `requestId: string` entry of ContextVariableMap (what its requestId() middleware sets).
import type {} from "hono/request-id";
import type { Context, MiddlewareHandler } from "./_internal/external-types.ts";
import type { TenantContext, TenantLike } from "./tenant-context.ts";
import { type TenantResolutionError, tenantProblemStatuses } from "./tenant-errors.ts";
import type { TenantResolver } from "./tenant-resolver.ts";
import type { Claims } from "./tenant-sources.ts";

/** The Hono environment the middleware adds: `c.var.tenant`. */
export interface TenantEnv<Tenant> {
  /** The request variables the middleware sets: `tenant`, the resolved tenant. */
  Variables: { tenant: Tenant };
}

/** Options for {@link tenant}. */
export interface TenantMiddlewareOptions<Tenant extends TenantLike> {
  /** The service's tenant context: the rest of the chain runs inside the resolved tenant. */
  readonly context: TenantContext<Tenant>;
  /** From {@link createTenantResolver}. */
  readonly resolve: TenantResolver<Tenant>;
  /** The verified claims of the request, when a source reads one (e.g. `(c) => c.get("jwtPayload")`). */
  readonly claims?: (c: Context) => Claims | undefined;
  /**
   * Answers a resolution failure. Defaults to an RFC 9457 problem from a mapper of `tenantProblemStatuses`
   * (400, 401, 403 or 404, with no tenant id and no `instance` in it, and the request id as its
   * `correlationId` when Hono's `requestId()` ran before); pass yours to share its `typeBase`
   * and logging.
   */
  readonly problems?: ProblemMapper<TenantResolutionError["_tag"]>;
}

/**
 * Hono middleware: resolves the request's tenant, answers a problem when it cannot, and otherwise runs the
 * rest of the chain inside the tenant (`context.current()` works in every handler and in what they start)
 * with the tenant on `c.var.tenant`. With Hono's `requestId()` middleware before it, the request id rides
 * along, so `context.logFields()` gives both ids to any logger.
 *
 * @example
 * ```ts
 * import { err, ok } from "@keel/result";
 * import { createTenantContext, createTenantResolver, headerSource, TenantNotFound } from "@keel/tenant-context";
 * import { tenant } from "@keel/tenant-context/hono";
 * import { Hono } from "hono";
 * import * as z from "zod";
 *
 * const tenants = createTenantContext<{ id: string }>();
 * const resolve = createTenantResolver({
 *   sources: [headerSource("x-tenant-id")],
 *   id: z.string().regex(/^[a-z]+$/),
 *   lookup: (id) => (id === "acme" ? ok({ id }) : err(new TenantNotFound())),
 * });
 * const app = new Hono()
 *   .use(tenant({ context: tenants, resolve }))
 *   .get("/whoami", (c) => c.json({ tenant: c.var.tenant.id, same: tenants.currentOrThrow().id }));
 *
 * const response = await app.request("/whoami", { headers: { "x-tenant-id": "acme" } });
 * console.assert((await response.json()).same === "acme");
 * console.assert((await app.request("/whoami", { headers: { "x-tenant-id": "nope" } })).status === 404);
 * ```
 */
export function tenant<Tenant extends TenantLike>(
  options: TenantMiddlewareOptions<Tenant>,
): MiddlewareHandler<TenantEnv<Tenant>> {
  const { context, resolve, claims } = options;
  const problems = options.problems ?? createProblemMapper({ statuses: tenantProblemStatuses });
  return async (c, next) => {
    const resolved = await resolve(c.req.raw, claims?.(c));
    // No `instance`: the path may hold the tenant id the request asked for (a path-prefix source). The
    // request id, when Hono's requestId() ran before, is the problem's correlation id.
    if (resolved.isErr()) return problemResponse(c, problems, resolved.error, { instance: false });
    // Typed as always set; without the requestId() middleware it is undefined.
    const requestId: string | undefined = c.get("requestId");
    c.set("tenant", resolved.value);
    await context.run(resolved.value, next, typeof requestId === "string" ? { requestId } : {});
    return undefined;
  };
}
